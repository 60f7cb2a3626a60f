package graph

import (
	"context"
	"errors"
	"slices"

	"github.com/azlforge/azldev/internal/resolve"
)

// Request is one `component graph` run: where the specs come from and what
// the report shows.
type Request struct {
	// SpecsDir, when set, is a rendered-specs tree whose every spec is read
	// directly (spec-only mode); else Loader reads the specs of Components.
	SpecsDir   string
	Eval       *Evaluator
	Components []*resolve.Component // every component of the project
	Loader     *Loader
	Opts       LoadOptions // for either source (replacing Loader.Opts)
	// Show limits the report to these components (nil: every one).
	Show []string
	// Dependents, when set, limits the report further to what must be
	// rebuilt when these components change.
	Dependents []string
}

// Run builds the graph of every component (requirements resolve against
// all of them) and reports the part the request asks for, its waves and
// cycles computed on that part alone.
func Run(ctx context.Context, req Request) (*Report, error) {
	g, err := req.graph(ctx)
	if err != nil {
		return nil, err
	}
	show := req.Show
	if req.Dependents != nil {
		rebuild, err := g.Dependents(req.Dependents)
		if err != nil {
			return nil, err
		}
		show = intersect(rebuild, show)
	}
	if show != nil {
		if g, err = g.Subgraph(show); err != nil {
			return nil, err
		}
	}
	return g.Report(), nil
}

// graph reads the specs and builds their graph.
func (req *Request) graph(ctx context.Context) (*Graph, error) {
	var specs []Spec
	var err error
	switch {
	case req.SpecsDir != "":
		specs, err = ReadTree(ctx, req.Eval, req.SpecsDir, req.Opts)
	case req.Loader != nil:
		l := *req.Loader
		l.Opts = req.Opts
		specs, err = l.Load(ctx, req.Components)
	default:
		err = errors.New("graph: no spec source")
	}
	if err != nil {
		return nil, err
	}
	return New(specs)
}

// intersect keeps the names also in filter (all of them for a nil filter).
func intersect(names, filter []string) []string {
	if filter == nil {
		return names
	}
	out := []string{}
	for _, n := range names {
		if slices.Contains(filter, n) {
			out = append(out, n)
		}
	}
	return out
}

// Plan is a build order: waves of component names, and the build
// dependencies of each component among the planned ones.
type Plan struct {
	Waves [][]string
	Deps  map[string][]string
}

// PlanBuild reads the specs of every component of the project (comps),
// and orders the build of names, with their build dependencies, direct or
// not, when withDeps is set.
func (l *Loader) PlanBuild(ctx context.Context, comps []*resolve.Component, names []string, withDeps bool) (*Plan, error) {
	specs, err := l.Load(ctx, comps)
	if err != nil {
		return nil, err
	}
	g, err := New(specs)
	if err != nil {
		return nil, err
	}
	if withDeps {
		if names, err = g.WithDependencies(names); err != nil {
			return nil, err
		}
	}
	if g, err = g.Subgraph(names); err != nil {
		return nil, err
	}
	return g.plan(), nil
}

// plan orders the whole graph.
func (g *Graph) plan() *Plan {
	o := g.Order()
	p := &Plan{Deps: make(map[string][]string, len(g.Nodes))}
	for _, w := range o.Waves {
		p.Waves = append(p.Waves, g.Names(w))
	}
	for _, n := range g.Nodes {
		p.Deps[n.Component] = g.Names(n.DependsOn)
	}
	return p
}
