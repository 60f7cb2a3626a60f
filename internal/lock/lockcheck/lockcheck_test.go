package lockcheck

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/azlforge/azldev/internal/config"
	"github.com/azlforge/azldev/internal/resolve"
)

func upstream(name, pin string) *resolve.Component {
	c := &resolve.Component{Name: name}
	c.Config.Spec = config.SpecSource{Type: config.SpecTypeUpstream, UpstreamCommit: pin}
	return c
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestCheck(t *testing.T) {
	dir := t.TempDir()
	const commit = "75bdae805d75b2dd9f306077c2badedfe4671d04"
	write(t, filepath.Join(dir, "ok.lock"), "version = 1\nupstream-commit = '"+commit+"'\n")
	write(t, filepath.Join(dir, "pinned.lock"), "version = 1\nupstream-commit = '"+commit+"'\n")
	write(t, filepath.Join(dir, "empty.lock"), "version = 1\n")
	write(t, filepath.Join(dir, "orphan.lock"), "version = 1\n")
	write(t, filepath.Join(dir, ".hidden.lock"), "version = 1\n")
	write(t, filepath.Join(dir, "notes.txt"), "")
	local := &resolve.Component{Name: "local"}
	comps := []*resolve.Component{upstream("ok", ""), upstream("pinned", "abc1234"), upstream("empty", ""), upstream("missing", ""), local}
	known := []string{"ok", "pinned", "empty", "missing", "local"}

	err := Check(dir, comps, known, false)
	e, ok := errors.AsType[*Error](err)
	if !ok {
		t.Fatalf("err = %v", err)
	}
	var names []string
	for _, p := range e.Problems {
		names = append(names, p.Component)
	}
	if !slices.Equal(names, []string{"pinned", "empty", "missing"}) || e.Orphans != nil {
		t.Fatalf("problems %v orphans %v", names, e.Orphans)
	}
	want := "lock file validation failed:\nlock file consistency check failed: 3 missing/stale, 0 orphans\nrun 'azldev component update pinned empty missing'"
	if err.Error() != want {
		t.Errorf("message\n%s\nwant\n%s", err, want)
	}
	if !strings.Contains(e.Problems[0].Err.Error(), "lock is stale for `pinned`: config pins `abc1234` but lock has `"+commit+"`") {
		t.Errorf("stale: %v", e.Problems[0].Err)
	}

	err = Check(dir, comps[:1], known, true)
	if e, ok := errors.AsType[*Error](err); !ok || !slices.Equal(e.Orphans, []string{"orphan"}) ||
		!strings.HasSuffix(err.Error(), "0 missing/stale, 1 orphans\nrun 'azldev component update -a' to fix all lock file issues") {
		t.Fatalf("with -a: %v", err)
	}
	if err := Check(dir, comps[:1], append(known, "orphan"), true); err != nil {
		t.Fatalf("nothing wrong: %v", err)
	}
}
