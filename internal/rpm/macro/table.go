// Package macro is a pure-Go RPM macro engine modelled on rpm 4.18's behaviour.
//
// A [Base] holds an immutable, fully loaded macro environment (rpm's macro files,
// Lua modules, limits). Each evaluation works in a cheap [Context] layered on top
// of a Base: definitions made while expanding go to the context only, so many
// goroutines can share one Base.
package macro

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
		}
	}
	return out
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
