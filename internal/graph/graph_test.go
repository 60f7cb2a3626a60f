package graph

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestCapabilities(t *testing.T) {
	for dep, want := range map[string]string{
		"gcc":                         "gcc",
		"glibc-devel >= 2.38":         "glibc-devel",
		"glibc-devel(x86-64)":         "glibc-devel",
		"pkgconfig(glib-2.0) >= 2.56": "pkgconfig(glib-2.0)",
		"(a or b)":                    "a b",
		"(python3-foo >= 1.0 with python3-foo < 2)": "python3-foo python3-foo",
		"(a if b)":                              "a",
		"(a if b else c)":                       "a c",
		"(a unless (b and c))":                  "a",
		"(a without b)":                         "a",
		"((a and perl(Carp)) or (b if c >= 2))": "a perl(Carp) b",
		"(a(x86-64) or b)":                      "a b",
	} {
		if got := strings.Join(capabilities(dep), " "); got != want {
			t.Errorf("capabilities(%q) = %q, want %q", dep, got, want)
		}
	}
}

func TestKindOf(t *testing.T) {
	for name, want := range map[string]string{
		"foo":                     KindName,
		"/usr/bin/foo":            KindFile,
		"libz.so.1()(64bit)":      KindSoname,
		"pkgconfig(zlib)":         "pkgconfig",
		"perl(Carp)":              "perl",
		"python3dist(setuptools)": "python3dist",
		"%{foo}-devel":            KindMacro,
	} {
		if got := kindOf(name); got != want {
			t.Errorf("kindOf(%q) = %q, want %q", name, got, want)
		}
	}
}

// spec is a synthetic spec of component name, whose packages are name and
// the names in pkgs ("pkg:prov1,prov2" gives Provides).
func spec(name string, brs []string, pkgs ...string) Spec {
	s := Spec{Component: name, BuildRequires: brs, Packages: []Package{{Name: name}}}
	for _, p := range pkgs {
		n, provs, _ := strings.Cut(p, ":")
		pkg := Package{Name: n}
		if provs != "" {
			pkg.Provides = strings.Split(provs, ",")
		}
		s.Packages = append(s.Packages, pkg)
	}
	return s
}

func mustGraph(t *testing.T, specs ...Spec) *Graph {
	t.Helper()
	g, err := New(specs)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// names renders node lists as "[a b] [c]".
func names(g *Graph, lists [][]int) string {
	var parts []string
	for _, l := range lists {
		parts = append(parts, fmt.Sprint(g.Names(l)))
	}
	return strings.Join(parts, " ")
}

// toolchain is a small distribution: a compiler and C library that need
// each other, a library built with both, and an application.
func toolchain() []Spec {
	return []Spec{
		spec("app", []string{"libfoo-devel >= 2", "pkgconfig(bar)", "/usr/bin/perl", "(cc or clang)"}),
		spec("gcc", []string{"glibc-devel(x86-64)", "gcc"}, "cpp:cc"),
		spec("glibc", []string{"gcc", "perl(Carp)"}, "glibc-devel"),
		spec("libfoo", []string{"gcc", "make"}, "libfoo-devel"),
		spec("make", nil),
	}
}

func TestCyclesAndWaves(t *testing.T) {
	g := mustGraph(t, toolchain()...)
	o := g.Order()
	if got := names(g, o.Cycles); got != "[gcc glibc]" {
		t.Errorf("cycles %s", got)
	}
	if got := names(g, o.Waves); got != "[gcc glibc make] [libfoo] [app]" {
		t.Errorf("waves %s", got)
	}
	app, _ := g.Lookup("app")
	if got := g.Names(g.Nodes[app].DependsOn); !slices.Equal(got, []string{"gcc", "libfoo"}) {
		t.Errorf("app depends on %v", got)
	}
}

func TestRequirements(t *testing.T) {
	g := mustGraph(t, toolchain()...)
	app, _ := g.Lookup("app")
	var got []string
	for _, r := range g.Nodes[app].Requirements {
		got = append(got, fmt.Sprintf("%s→%v%s", r.Dep, r.Components, r.Unresolved))
	}
	want := []string{"libfoo-devel >= 2→[libfoo]", "pkgconfig(bar)→[]pkgconfig", "/usr/bin/perl→[]file", "(cc or clang)→[gcc]"}
	if !slices.Equal(got, want) {
		t.Errorf("requirements\n got %q\nwant %q", got, want)
	}
	gcc, _ := g.Lookup("gcc")
	if deps := g.Names(g.Nodes[gcc].DependsOn); !slices.Equal(deps, []string{"glibc"}) {
		t.Errorf("gcc depends on %v (itself left out)", deps)
	}
}

func TestDependentsAndDependencies(t *testing.T) {
	g := mustGraph(t, toolchain()...)
	for _, tc := range []struct {
		names   []string
		reverse bool
		want    string
	}{
		{[]string{"libfoo"}, true, "[app libfoo]"},
		{[]string{"glibc"}, true, "[app gcc glibc libfoo]"},
		{[]string{"make"}, true, "[libfoo make app]"},
		{[]string{"app"}, true, "[app]"},
		{[]string{"libfoo"}, false, "[gcc glibc libfoo make]"},
		{[]string{"make"}, false, "[make]"},
	} {
		closure := g.WithDependencies
		if tc.reverse {
			closure = g.Dependents
		}
		got, err := closure(tc.names)
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(got)
		want := strings.Fields(strings.Trim(tc.want, "[]"))
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%v (reverse %v): got %v, want %v", tc.names, tc.reverse, got, want)
		}
	}
	if _, err := g.Dependents([]string{"nope"}); err == nil || !strings.Contains(err.Error(), "nope") {
		t.Errorf("unknown component: %v", err)
	}
}

func TestSubgraph(t *testing.T) {
	g := mustGraph(t, toolchain()...)
	sub, err := g.Subgraph([]string{"app", "libfoo", "make"})
	if err != nil {
		t.Fatal(err)
	}
	if got := names(sub, sub.Order().Waves); got != "[make] [libfoo] [app]" {
		t.Errorf("waves %s", got)
	}
}

func TestDuplicateComponent(t *testing.T) {
	if _, err := New([]Spec{spec("a", nil), spec("a", nil)}); err == nil {
		t.Error("no error for a repeated component")
	}
}

// TestLongChainAndBigCycle checks that Tarjan is iterative: a chain and a
// ring of 100,000 components would overflow a recursive walk's budget.
func TestLongChainAndBigCycle(t *testing.T) {
	const n = 100000
	specs := make([]Spec, n)
	for i := range specs {
		var brs []string
		if i > 0 {
			brs = []string{fmt.Sprintf("c%06d", i-1)}
		}
		specs[i] = spec(fmt.Sprintf("c%06d", i), brs)
	}
	o := mustGraph(t, specs...).Order()
	if len(o.Waves) != n || len(o.Cycles) != 0 {
		t.Errorf("chain: %d waves, %d cycles", len(o.Waves), len(o.Cycles))
	}
	specs[0].BuildRequires = []string{fmt.Sprintf("c%06d", n-1)}
	o = mustGraph(t, specs...).Order()
	if len(o.Waves) != 1 || len(o.Cycles) != 1 || len(o.Cycles[0]) != n {
		t.Errorf("ring: %d waves, %d cycles", len(o.Waves), len(o.Cycles))
	}
}

func TestReport(t *testing.T) {
	specs := toolchain()
	specs = append(specs, failed("broken", SourceTree, fmt.Errorf("bad spec")))
	r := mustGraph(t, specs...).Report()
	s := r.Summary
	want := Summary{Components: 6, Errors: 1, BuildRequires: 10, Resolved: 7, Edges: 6, Cycles: 1, InCycles: 2, LargestCycle: 2, Waves: 3,
		UnresolvedByKind: map[string]int{"pkgconfig": 1, "file": 1, "perl": 1}}
	if fmt.Sprint(s) != fmt.Sprint(want) {
		t.Errorf("summary\n got %+v\nwant %+v", s, want)
	}
	if share := s.ResolvedShare(); share != 70 {
		t.Errorf("share %v", share)
	}
	cols, rows := r.Rows()
	if len(cols) != 5 || len(rows) != 6 || rows[0][1] != "broken" || rows[5][1] != "app" || rows[1][2] != "1" {
		t.Errorf("rows %q", rows)
	}
	var dot bytes.Buffer
	if err := r.WriteDOT(&dot); err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{`"app" -> "libfoo";`, `"gcc" [color=red];`, `{ rank=same; "app"; }`} {
		if !strings.Contains(dot.String(), line) {
			t.Errorf("DOT lacks %s:\n%s", line, dot.String())
		}
	}
}

// TestOrderOnRandomGraphs checks Order against its definition: two
// components share a strongly connected component exactly when each
// reaches the other, and a component's wave is one more than the latest
// wave of the dependencies of its cycle's members outside the cycle.
func TestOrderOnRandomGraphs(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 50 {
		n := 2 + rng.IntN(40)
		specs := make([]Spec, n)
		for i := range specs {
			var brs []string
			for range rng.IntN(4) {
				brs = append(brs, fmt.Sprintf("c%02d", rng.IntN(n)))
			}
			specs[i] = spec(fmt.Sprintf("c%02d", i), brs)
		}
		g := mustGraph(t, specs...)
		o := g.Order()
		reach := reachability(g)
		for v := range n {
			want := 0
			for u := range n {
				for _, w := range g.Nodes[u].DependsOn {
					if o.SCC[u] == o.SCC[v] && o.SCC[w] != o.SCC[v] {
						want = max(want, o.Wave[w]+1)
					}
				}
			}
			if o.Wave[v] != want {
				t.Fatalf("wave of %d is %d, want %d", v, o.Wave[v], want)
			}
			for w := range n {
				if same := reach[v][w] && reach[w][v]; same != (o.SCC[v] == o.SCC[w]) {
					t.Fatalf("%d and %d: mutually reachable %v, same SCC %v", v, w, same, !same)
				}
			}
		}
	}
}

// reachability is the reflexive transitive closure of g's edges.
func reachability(g *Graph) [][]bool {
	n := len(g.Nodes)
	reach := make([][]bool, n)
	for v := range n {
		reach[v] = make([]bool, n)
		reach[v][v] = true
		for _, w := range g.Nodes[v].DependsOn {
			reach[v][w] = true
		}
	}
	for k := range n {
		for i := range n {
			for j := range n {
				reach[i][j] = reach[i][j] || reach[i][k] && reach[k][j]
			}
		}
	}
	return reach
}
