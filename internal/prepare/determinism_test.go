package prepare

import (
	"context"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/azlforge/azldev/internal/config"
	"github.com/azlforge/azldev/internal/testutil"
)

// TestPrepareIsDeterministic prepares the same component twice, with
// synthetic history from a committed lock, and expects identical trees and
// identical commit hashes.
func TestPrepareIsDeterministic(t *testing.T) {
	dir, _ := project(t, "[components.a.build]\nwith = [\"x\"]\n[[components.a.overlays]]\ntype = \"patch-add\"\nsource = \"patches/x.patch\"\n", nil)
	lockText := "# Managed by azldev component update. Do not edit manually.\nversion = 1\ninput-fingerprint = 'sha256:00'\n"
	must(t, os.MkdirAll(filepath.Join(dir, "locks"), 0o755))
	must(t, os.WriteFile(filepath.Join(dir, "locks", "a.lock"), []byte(lockText), 0o644))
	gitIn(t, dir, "init", "-q")
	gitIn(t, dir, "add", "-A")
	gitIn(t, dir, "commit", "-q", "-m", "add a")
	c := resolveA(t, dir)
	cfg, err := config.Load(config.Options{StartDir: dir})
	must(t, err)
	var trees []map[string]string
	var heads []string
	for range 2 {
		out := filepath.Join(t.TempDir(), "out")
		p := &Preparer{Config: cfg, Opts: Options{OutputDir: out, SkipSources: true, Log: slog.New(slog.DiscardHandler)}}
		must(t, p.Prepare(context.Background(), c))
		trees = append(trees, testutil.Snapshot(t, out, ".git"))
		heads = append(heads, gitIn(t, out, "rev-parse", "HEAD"))
	}
	if len(trees[0]) == 0 || len(trees[0]) != len(trees[1]) {
		t.Fatalf("trees differ in size: %d vs %d", len(trees[0]), len(trees[1]))
	}
	for k, v := range trees[0] {
		if trees[1][k] != v {
			t.Errorf("%s differs between runs", k)
		}
	}
	if heads[0] != heads[1] {
		t.Errorf("synthetic history differs: %s vs %s", heads[0], heads[1])
	}
}

func gitIn(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=T", "GIT_AUTHOR_EMAIL=t@example.invalid", "GIT_COMMITTER_NAME=T",
		"GIT_COMMITTER_EMAIL=t@example.invalid", "GIT_AUTHOR_DATE=2026-01-01T00:00:00Z", "GIT_COMMITTER_DATE=2026-01-01T00:00:00Z",
		"GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}
