// Package graph computes the build graph of components: every component's
// BuildRequires resolved to the components whose packages provide them (from
// their specs, evaluated with the macro engine), the cycles among them and
// the order to build them in, wave by wave.
package graph

import (
	"fmt"
	"slices"
	"sort"
)

// Graph is the build dependency graph of a set of components: an edge from
// A to B means A build-requires something a package of B provides.
type Graph struct {
	Nodes []Node // sorted by component name
	index map[string]int
}

// Node is one component and its resolved build requirements.
type Node struct {
	Spec
	Requirements []Requirement // one per BuildRequires, in spec order
	DependsOn    []int         // the nodes it build-requires, sorted, itself left out
}

// Requirement is one BuildRequires and what satisfies it.
type Requirement struct {
	Dep string `json:"dep"`
	// Components provide it (every alternative of a rich dependency counts:
	// ordering after all of them is the safe order).
	Components []string `json:"components,omitempty"`
	// Unresolved is the kind of a requirement no component provides (see
	// the Kind constants; a namespace such as "pkgconfig" otherwise).
	Unresolved string `json:"unresolved,omitempty"`
}

// New builds the graph of specs (one per component; a repeated component is
// an error).
func New(specs []Spec) (*Graph, error) {
	g := &Graph{Nodes: make([]Node, len(specs)), index: make(map[string]int, len(specs))}
	sorted := slices.Clone(specs)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Component < sorted[j].Component })
	for i, s := range sorted {
		if _, dup := g.index[s.Component]; dup {
			return nil, fmt.Errorf("component %s appears twice", s.Component)
		}
		g.Nodes[i].Spec = s
		g.index[s.Component] = i
	}
	providers := g.providers()
	for i := range g.Nodes {
		g.resolve(i, providers)
	}
	return g, nil
}

// providers maps every capability a package name or Provides gives to the
// nodes that have it.
func (g *Graph) providers() map[string][]int {
	idx := map[string][]int{}
	add := func(name string, i int) {
		if l := idx[name]; len(l) == 0 || l[len(l)-1] != i {
			idx[name] = append(l, i)
		}
	}
	for i, n := range g.Nodes {
		for _, p := range n.Packages {
			add(stripISA(p.Name), i)
			for _, prov := range p.Provides {
				for _, c := range capabilities(prov) {
					add(c, i)
				}
			}
		}
	}
	return idx
}

// resolve fills node i's requirements and dependencies.
func (g *Graph) resolve(i int, providers map[string][]int) {
	n := &g.Nodes[i]
	deps := map[int]bool{}
	for _, dep := range n.BuildRequires {
		names := capabilities(dep)
		r := Requirement{Dep: dep}
		seen := map[int]bool{}
		for _, name := range names {
			for _, p := range providers[name] {
				if !seen[p] {
					seen[p] = true
					r.Components = append(r.Components, g.Nodes[p].Component)
				}
				if p != i {
					deps[p] = true
				}
			}
		}
		if len(r.Components) == 0 && len(names) > 0 {
			r.Unresolved = kindOf(names[0])
		}
		slices.Sort(r.Components)
		n.Requirements = append(n.Requirements, r)
	}
	n.DependsOn = sortedKeys(deps)
}

func sortedKeys(set map[int]bool) []int {
	keys := make([]int, 0, len(set))
	for k := range set {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Lookup returns the node of a component.
func (g *Graph) Lookup(name string) (int, bool) {
	i, ok := g.index[name]
	return i, ok
}

// Names returns the components of nodes, in the order given.
func (g *Graph) Names(nodes []int) []string {
	names := make([]string, len(nodes))
	for i, n := range nodes {
		names[i] = g.Nodes[n].Component
	}
	return names
}

// nodesOf looks components up; unknown names are an error.
func (g *Graph) nodesOf(names []string) ([]int, error) {
	nodes := make([]int, 0, len(names))
	for _, name := range names {
		i, ok := g.index[name]
		if !ok {
			return nil, fmt.Errorf("component %s is not in the graph", name)
		}
		nodes = append(nodes, i)
	}
	return nodes, nil
}
