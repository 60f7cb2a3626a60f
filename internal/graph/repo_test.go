package graph

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/azlforge/azldev/internal/testutil"
)

// TestRepoProvidesResolve: a BuildRequires no spec provides resolves to the
// component whose built package, in a local repository, provides it.
func TestRepoProvidesResolve(t *testing.T) {
	testutil.NeedPrograms(t, "rpmbuild", "createrepo_c")
	repo := t.TempDir()
	rpm := testutil.BuildRPM(t, "libfoo", "1", "Provides: pkgconfig(foo) = 1\n")
	if err := os.Link(rpm, filepath.Join(repo, filepath.Base(rpm))); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("createrepo_c", "--quiet", repo).CombinedOutput(); err != nil {
		t.Fatalf("createrepo_c: %v\n%s", err, out)
	}
	pkgs, err := repoPackages(repo)
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(pkgs); !strings.Contains(got, "libfoo:[{libfoo [") || !strings.Contains(got, "pkgconfig(foo)") {
		t.Errorf("packages %s", got)
	}
	specs, err := addRepoProvides([]Spec{spec("app", []string{"pkgconfig(foo) >= 1"}), spec("libfoo", nil)}, []string{repo})
	if err != nil {
		t.Fatal(err)
	}
	g := mustGraph(t, specs...)
	app, _ := g.Lookup("app")
	if deps := g.Names(g.Nodes[app].DependsOn); !slices.Equal(deps, []string{"libfoo"}) {
		t.Errorf("app depends on %v", deps)
	}
	if _, err := addRepoProvides(nil, []string{t.TempDir()}); err == nil {
		t.Error("no error for a directory without metadata")
	}
}

func TestSourceName(t *testing.T) {
	for srpm, want := range map[string]string{"foo-1.2-3.azl4.src.rpm": "foo", "python-foo-bar-0.1-1.src.rpm": "python-foo-bar"} {
		if got := sourceName(srpm); got != want {
			t.Errorf("sourceName(%q) = %q", srpm, got)
		}
	}
}
