// Package macro is a pure-Go RPM macro engine modelled on rpm 4.18's behaviour.
//
// A [Base] holds an immutable, fully loaded macro environment (rpm's macro files,
// Lua modules, limits). Each evaluation works in a cheap [Context] layered on top
// of a Base: definitions made while expanding go to the context only, so many
// goroutines can share one Base.
package macro

import (
	"slices"
	"strconv"
)

// Macro is one definition. Definitions of the same name form a stack through
// Prev: %define pushes, %undefine pops. Macros are immutable once created, so
// stacks are shared freely between a Base and its contexts.
type Macro struct {
	Name string
	// Opts is the getopt option string of a parametric macro.
	Opts string
	// Parametric reports whether the macro was defined as name(opts).
	Parametric bool
	Body       string
	// Level is the scope level: 0 for global, >0 inside parametric calls,
	// negative for configuration files.
	Level int
	// Prev is the definition this one shadows.
	Prev *Macro
}

// table is a copy-on-write layer of macro stacks over an optional parent.
// A nil entry in the map hides the parent's definition (the stack was popped
// to empty).
type table struct {
	parent *table
	m      map[string]*Macro
	// gen counts changes to names other than call arguments; cached
	// expansions are valid while it is unchanged.
	gen uint64
	// suffixed indexes the names pushed in this layer that end in a
	// number: stem -> numbers (see nextSuffixed).
	suffixed map[string][]uint16
}

// isArgName reports whether name is one of the per-call argument macros
// (%0, %1.., %*, %**, %#, %-f, %-f*).
func isArgName(name string) bool {
	c := name[0]
	return c == '-' || c == '*' || c == '#' || c >= '0' && c <= '9'
}

func newTable(parent *table) *table {
	return &table{parent: parent, m: make(map[string]*Macro)}
}

// get returns the top definition of name, or nil.
func (t *table) get(name string) *Macro {
	for l := t; l != nil; l = l.parent {
		if m, ok := l.m[name]; ok {
			return m
		}
	}
	return nil
}

// push defines a new top entry for name.
func (t *table) push(name, opts string, parametric bool, body string, level int) {
	if !isArgName(name) {
		t.gen++
		t.index(name)
	}
	t.m[name] = &Macro{Name: name, Opts: opts, Parametric: parametric, Body: body, Level: level, Prev: t.get(name)}
}

// pop removes the top entry of name; it reports whether there was one.
func (t *table) pop(name string) bool {
	top := t.get(name)
	if top == nil {
		return false
	}
	t.m[name] = top.Prev
	if !isArgName(name) {
		t.gen++
	}
	return true
}

// flatten collapses the table and its parents into a single layer.
func (t *table) flatten() *table {
	out := newTable(nil)
	var layers []*table
	for l := t; l != nil; l = l.parent {
		layers = append(layers, l)
	}
	for i := len(layers) - 1; i >= 0; i-- {
		for k, v := range layers[i].m {
			if v == nil {
				delete(out.m, k)
				continue
			}
			out.m[k] = v
			out.index(k)
		}
	}
	return out
}

// maxSuffix is the largest number nextSuffixed looks for, the bound of
// Fedora's "for suffix=0,9999" probes.
const maxSuffix = 9999

// index records name under every split into a stem and a number written
// without leading zeros, up to maxSuffix ("go12" is go+12 and go1+2).
func (t *table) index(name string) {
	for i := len(name) - 1; i > 0 && len(name)-i <= 4 && isDigit(name[i]); i-- {
		if name[i] == '0' && i < len(name)-1 {
			continue
		}
		n, _ := strconv.Atoi(name[i:])
		stem := name[:i]
		if t.suffixed == nil {
			t.suffixed = map[string][]uint16{}
		}
		if !slices.Contains(t.suffixed[stem], uint16(n)) {
			t.suffixed[stem] = append(t.suffixed[stem], uint16(n))
		}
	}
}

// nextSuffixed returns the smallest n in (after, maxSuffix] for which the
// macro stem<n> is defined, or -1.
func (t *table) nextSuffixed(stem string, after int) int {
	best := -1
	for l := t; l != nil; l = l.parent {
		for _, n := range l.suffixed[stem] {
			if int(n) > after && (best < 0 || int(n) < best) && t.get(stem+strconv.Itoa(int(n))) != nil {
				best = int(n)
			}
		}
	}
	return best
}

// names returns every defined name.
func (t *table) names() []string {
	f := t.flatten()
	out := make([]string, 0, len(f.m))
	for k := range f.m {
		out = append(out, k)
	}
	return out
}
