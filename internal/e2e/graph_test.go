package e2e

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/azlforge/azldev/internal/testutil"
)

// graphReport is the part of `component graph -O json` the tests read.
type graphReport struct {
	Summary struct {
		Components, BuildRequires, Resolved, Waves, Cycles int
		UnresolvedByKind                                   map[string]int
	}
	Waves      [][]string
	Components []struct {
		Name          string
		Wave          int
		DependsOn     []string
		BuildRequires []struct{ Dep, Unresolved string }
		SpecSource    string
	}
}

// TestGraphTinydistro prints the example distro's build graph as JSON and
// as Graphviz: its components are prepared (it has no rendered specs), and
// hello's BuildRequires are unresolved plain names.
func TestGraphTinydistro(t *testing.T) {
	e := newEnv(t)
	useExampleUpstream(t, e)
	dir := "../../examples/tinydistro"
	out, stderr, code := e.azldev(dir, "component", "graph", "-a", "-O", "json")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	var r graphReport
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if s := r.Summary; s.Components != 4 || s.BuildRequires != 2 || s.Resolved != 0 || s.Waves != 1 || s.UnresolvedByKind["name"] != 2 {
		t.Errorf("summary %+v", s)
	}
	if !slices.Equal(r.Waves[0], []string{"fortune-tiny", "greet", "hello", "motd"}) || r.Components[2].SpecSource != "prepared" {
		t.Errorf("waves %v, components %+v", r.Waves, r.Components)
	}
	hello := r.Components[2].BuildRequires
	if len(hello) != 2 || hello[0].Dep != "gcc" || hello[1].Dep != "tiny-rpm-config" || hello[1].Unresolved != "name" {
		t.Errorf("hello requires %+v", hello)
	}
	dot, stderr, code := e.azldev(dir, "component", "graph", "-a", "-O", "dot")
	if code != 0 || !strings.HasPrefix(dot, "digraph builddeps {\n") || !strings.Contains(dot, `{ rank=same; "fortune-tiny"; "greet"; "hello"; "motd"; }`) {
		t.Errorf("exit %d, DOT:\n%s\n%s", code, dot, stderr)
	}
	if _, stderr, code := e.azldev(dir, "component", "list", "-a", "-O", "dot"); code != 1 || !strings.Contains(stderr, `invalid output format "dot"`) {
		t.Errorf("component list -O dot: exit %d\n%s", code, stderr)
	}
}

// dependentsProject is a project where broken fails to build, needs-broken
// build-requires it, needs-needs build-requires a subpackage of
// needs-broken, and fine needs nothing.
func dependentsProject(t *testing.T) string {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "azldev.toml"), `[project]
description = "dependents"
`+component("broken")+component("needs-broken")+component("needs-needs")+component("fine"))
	writeFile(t, filepath.Join(dir, "broken", "broken.spec"), strings.Replace(testutil.NoarchSpec("broken", "1", ""),
		"%install\n", "%install\nexit 1\n", 1))
	writeFile(t, filepath.Join(dir, "needs-broken", "needs-broken.spec"), testutil.NoarchSpec("needs-broken", "1",
		"BuildRequires: broken >= 1\n%package devel\nSummary: devel\n%description devel\nDevel.\n%files devel\n"))
	writeFile(t, filepath.Join(dir, "needs-needs", "needs-needs.spec"), testutil.NoarchSpec("needs-needs", "1", "BuildRequires: (needs-broken-devel or nothing)\n"))
	writeFile(t, filepath.Join(dir, "fine", "fine.spec"), testutil.NoarchSpec("fine", "1", ""))
	return dir
}

func component(name string) string {
	return "[components." + name + "]\nspec = { type = \"local\", path = \"" + name + "/" + name + ".spec\" }\n"
}

// TestGraphRdeps asks what must be rebuilt when broken changes.
func TestGraphRdeps(t *testing.T) {
	e := newEnv(t)
	out, stderr, code := e.azldev(dependentsProject(t), "component", "graph", "--rdeps", "broken", "-O", "csv")
	want := "Wave,Component,Depends On\n1,broken,\n2,needs-broken,broken\n3,needs-needs,needs-broken\n"
	if code != 0 || out != want {
		t.Errorf("exit %d, got\n%s\nwant\n%s\n%s", code, out, want, stderr)
	}
}

// TestBuildSkipsDependentsOfFailure builds every component with -k in
// graph order: broken fails, the two components that build-require it,
// directly or not, are skipped naming it, and fine is built.
func TestBuildSkipsDependentsOfFailure(t *testing.T) {
	testutil.NeedPrograms(t, "rpmbuild", "rpmspec", "rpm")
	if out, err := exec.Command("rpm", "-q", "--whatprovides", "broken").CombinedOutput(); err == nil {
		t.Skipf("the host's rpm database provides broken: %s", out)
	}
	e := newEnv(t)
	out, stderr, code := e.azldev(dependentsProject(t), "component", "build", "-a", "-k", "--without-git", "--backend", "rpmbuild", "-O", "json")
	if code != 1 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	var rows []struct {
		ComponentName  string
		RPMPaths       []string
		Error          string
		SkippedBecause []string
	}
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	var got []string
	for _, r := range rows {
		got = append(got, r.ComponentName+" "+strings.Join(r.SkippedBecause, ",")+" "+firstLine(r.Error)+" "+strings.Repeat("rpm", len(r.RPMPaths)))
	}
	want := []string{
		"broken  building the RPMs",
		"fine   rpm",
		"needs-broken broken skipped: build dependency failed: broken ",
		"needs-needs broken skipped: build dependency failed: broken ",
	}
	if len(got) != len(want) || !strings.HasPrefix(got[0], want[0]) || !slices.Equal(got[1:], want[1:]) {
		t.Errorf("rows\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !strings.Contains(stderr, "Build order components=4 waves=3") ||
		!strings.Contains(stderr, "1 of 4 component(s) failed to build: broken; 2 skipped because a build dependency failed") {
		t.Errorf("log:\n%s", stderr)
	}
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
