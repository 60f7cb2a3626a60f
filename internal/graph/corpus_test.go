package graph

import (
	"context"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/azlforge/azldev/internal/rpm/macro"
	"github.com/azlforge/azldev/internal/testutil"
)

// TestCorpusGraph builds the graph of every spec of the Azure Linux 4
// rendered-specs tree and checks that it is plausible.
func TestCorpusGraph(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus test")
	}
	specs := testutil.SharedDir(t, "corpus/azl4/specs")
	ctx := context.Background()
	start := time.Now()
	ev := corpusEvaluator(t)
	loaded, err := ReadTree(ctx, ev, specs, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	g, err := New(loaded)
	if err != nil {
		t.Fatal(err)
	}
	r := g.Report()
	s := r.Summary
	t.Logf("%d components in %s: %d errors, %d/%d BuildRequires resolved (%.1f%%), %d cycles (largest %d, %d components), %d waves, %d dynamic",
		s.Components, time.Since(start), s.Errors, s.Resolved, s.BuildRequires, s.ResolvedShare(), s.Cycles, s.LargestCycle, s.InCycles, s.Waves, s.Dynamic)
	logKinds(t, s.UnresolvedByKind)
	if s.Components < 7000 || s.Errors > s.Components/50 {
		t.Errorf("%d components, %d errors", s.Components, s.Errors)
	}
	if s.Waves < 2 || s.ResolvedShare() < 50 {
		t.Errorf("%d waves, %.1f%% resolved", s.Waves, s.ResolvedShare())
	}
	for comp, want := range map[string]string{"gcc": "glibc", "glibc": "gcc", "openssh": "openssl"} {
		if i, ok := g.Lookup(comp); !ok || !slices.Contains(g.Names(g.Nodes[i].DependsOn), want) {
			t.Errorf("%s does not build-require %s", comp, want)
		}
	}
}

func logKinds(t *testing.T, kinds map[string]int) {
	names := make([]string, 0, len(kinds))
	for k := range kinds {
		names = append(names, k)
	}
	sort.Slice(names, func(i, j int) bool { return kinds[names[i]] > kinds[names[j]] })
	for _, k := range names[:min(len(names), 15)] {
		t.Logf("unresolved %s: %d", k, kinds[k])
	}
}

// corpusEvaluator evaluates specs with the conformance macro environment.
func corpusEvaluator(t *testing.T) *Evaluator {
	t.Helper()
	ctx := context.Background()
	base, err := macro.Load(ctx, macro.Config{ConfigDir: testutil.SharedDir(t, "conformance/rpmconfig"), Arch: "x86_64"})
	if err != nil {
		t.Fatal(err)
	}
	ev, err := NewEvaluator(ctx, base)
	if err != nil {
		t.Fatal(err)
	}
	return ev
}
