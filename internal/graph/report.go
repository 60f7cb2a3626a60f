package graph

import (
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Report is a graph and its order, as `component graph` prints it.
type Report struct {
	Summary    Summary           `json:"summary"`
	Waves      [][]string        `json:"waves"`
	Cycles     [][]string        `json:"cycles"`
	Components []ComponentReport `json:"components"`
}

// Summary holds the figures of a graph.
type Summary struct {
	Components    int `json:"components"`
	Errors        int `json:"errors"` // components whose spec could not be evaluated
	BuildRequires int `json:"buildRequires"`
	// Resolved counts the BuildRequires some component provides.
	Resolved         int            `json:"resolved"`
	UnresolvedByKind map[string]int `json:"unresolvedByKind"`
	// Dynamic counts the components with %generate_buildrequires.
	Dynamic      int `json:"dynamicBuildRequires"`
	Edges        int `json:"edges"`
	Cycles       int `json:"cycles"`
	InCycles     int `json:"componentsInCycles"`
	LargestCycle int `json:"largestCycle"`
	Waves        int `json:"waves"`
}

// ResolvedShare is the percentage of BuildRequires resolved to a component.
func (s Summary) ResolvedShare() float64 {
	if s.BuildRequires == 0 {
		return 100
	}
	return 100 * float64(s.Resolved) / float64(s.BuildRequires)
}

// ComponentReport is one component of a Report.
type ComponentReport struct {
	Name string `json:"name"`
	Wave int    `json:"wave"` // 1-based
	// Cycle is the 1-based index in Report.Cycles of the cycle the
	// component is part of, 0 when it is in none.
	Cycle                int           `json:"cycle,omitempty"`
	DependsOn            []string      `json:"dependsOn"`
	BuildRequires        []Requirement `json:"buildRequires"`
	Packages             []Package     `json:"packages"`
	DynamicBuildRequires bool          `json:"dynamicBuildRequires,omitempty"`
	SpecSource           string        `json:"specSource,omitempty"`
	Error                string        `json:"error,omitempty"`
}

// Report computes the order of g and describes both.
func (g *Graph) Report() *Report {
	o := g.Order()
	r := &Report{Waves: make([][]string, len(o.Waves)), Cycles: make([][]string, len(o.Cycles))}
	for i, w := range o.Waves {
		r.Waves[i] = g.Names(w)
	}
	cycleOf := map[int]int{}
	for i, c := range o.Cycles {
		r.Cycles[i] = g.Names(c)
		for _, v := range c {
			cycleOf[v] = i + 1
		}
	}
	for v, n := range g.Nodes {
		r.Components = append(r.Components, ComponentReport{
			Name: n.Component, Wave: o.Wave[v] + 1, Cycle: cycleOf[v], DependsOn: g.Names(n.DependsOn),
			BuildRequires: orEmpty(n.Requirements), Packages: orEmpty(n.Packages),
			DynamicBuildRequires: n.DynamicBuildRequires, SpecSource: n.Source, Error: n.Error,
		})
	}
	r.Summary = g.summary(o)
	return r
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// summary counts the figures of g in order o.
func (g *Graph) summary(o Order) Summary {
	s := Summary{Components: len(g.Nodes), UnresolvedByKind: map[string]int{}, Cycles: len(o.Cycles), Waves: len(o.Waves)}
	for _, n := range g.Nodes {
		if n.Error != "" {
			s.Errors++
		}
		if n.DynamicBuildRequires {
			s.Dynamic++
		}
		s.Edges += len(n.DependsOn)
		for _, r := range n.Requirements {
			s.BuildRequires++
			if r.Unresolved != "" {
				s.UnresolvedByKind[r.Unresolved]++
			} else {
				s.Resolved++
			}
		}
	}
	for _, c := range o.Cycles {
		s.InCycles += len(c)
		s.LargestCycle = max(s.LargestCycle, len(c))
	}
	return s
}

// Rows are the table rows of the report: one per component, by wave.
func (r *Report) Rows() (columns []string, rows [][]string) {
	columns = []string{"Wave", "Component", "Cycle", "Depends On", "Unresolved"}
	byName := make(map[string]*ComponentReport, len(r.Components))
	for i := range r.Components {
		byName[r.Components[i].Name] = &r.Components[i]
	}
	for _, wave := range r.Waves {
		for _, name := range wave {
			c := byName[name]
			rows = append(rows, []string{strconv.Itoa(c.Wave), c.Name, cycleCell(c.Cycle), listCell(c.DependsOn), unresolvedCell(c)})
		}
	}
	return columns, rows
}

func cycleCell(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// unresolvedCell lists a component's unresolved requirements, or its error.
func unresolvedCell(c *ComponentReport) string {
	if c.Error != "" {
		return "error: " + c.Error
	}
	var deps []string
	for _, r := range c.BuildRequires {
		if r.Unresolved != "" {
			deps = append(deps, r.Dep)
		}
	}
	return listCell(deps)
}

// cellItems is how many items a table cell lists (-O json has them all).
const cellItems = 5

// listCell joins the first cellItems items and counts the others.
func listCell(items []string) string {
	if len(items) <= cellItems {
		return strings.Join(items, ", ")
	}
	return fmt.Sprintf("%s … (%d more)", strings.Join(items[:cellItems], ", "), len(items)-cellItems)
}

// WriteDOT writes the graph as Graphviz DOT: an edge from a component to
// each component it build-requires, cycles in red, one rank per wave.
func (r *Report) WriteDOT(w io.Writer) error {
	var b strings.Builder
	b.WriteString("digraph builddeps {\n  rankdir=LR;\n  node [shape=box];\n")
	for _, c := range r.Components {
		attrs := ""
		if c.Cycle != 0 {
			attrs = " [color=red]"
		}
		fmt.Fprintf(&b, "  %s%s;\n", strconv.Quote(c.Name), attrs)
		for _, d := range c.DependsOn {
			fmt.Fprintf(&b, "  %s -> %s;\n", strconv.Quote(c.Name), strconv.Quote(d))
		}
	}
	for _, wave := range r.Waves {
		b.WriteString("  { rank=same;")
		for _, name := range wave {
			b.WriteString(" " + strconv.Quote(name) + ";")
		}
		b.WriteString(" }\n")
	}
	b.WriteString("}\n")
	_, err := io.WriteString(w, b.String())
	return err
}
