package macro

import "strings"

// output accumulates an expansion. While only one piece has been written it
// is kept as is, so that passing a long text through (a cached body, a Lua
// chunk's cached output) does not copy it.
type output struct {
	one  string
	many bool
	b    strings.Builder
}

// WriteString appends s.
func (o *output) WriteString(s string) {
	switch {
	case s == "":
	case o.many:
		o.b.WriteString(s)
	case o.one == "":
		o.one = s
	default:
		o.many = true
		o.b.Grow(len(o.one) + len(s))
		o.b.WriteString(o.one)
		o.b.WriteString(s)
		o.one = ""
	}
}

// String returns what was written.
func (o *output) String() string {
	if o.many {
		return o.b.String()
	}
	return o.one
}
