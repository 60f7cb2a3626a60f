package macro

import (
	"context"
	"strings"
)

// quoteMark delimits %{quote:} arguments so that argument splitting keeps them
// whole; it is removed from the final result.
const quoteMark = "\x1f"

// callFrame describes the parametric macro call being expanded, for Lua's
// arg and opt tables.
type callFrame struct {
	args []string
	opts []optValue
}

type optValue struct {
	flag  byte
	value string
}

// expander holds the state of one top-level expansion.
type expander struct {
	c      *Context
	ctx    context.Context
	lim    Limits
	depth  int
	level  int
	budget int64
	steps  int
	frames []*callFrame
	// impure counts effects that make an expansion unfit for caching (Lua
	// with state, shell, file loads, diagnostics).
	impure int
	// argDepth is the lowest call depth whose arguments were read since the
	// innermost cached body expansion started.
	argDepth int
}

// expandString expands s one level deeper than the current expansion.
func (e *expander) expandString(s string) (string, error) {
	var b output
	if err := e.expandInto(&b, s); err != nil {
		return "", err
	}
	return b.String(), nil
}

// expandInto appends the expansion of s to out.
func (e *expander) expandInto(out *output, s string) error {
	if e.depth >= e.lim.MaxDepth {
		return e.c.errorf("too many levels of recursion in macro expansion (more than %d): likely a recursive macro", e.lim.MaxDepth)
	}
	e.depth++
	defer func() { e.depth-- }()
	if undefinedProbes(e.c.tab, s) {
		return nil
	}
	for len(s) > 0 {
		if err := e.tick(); err != nil {
			return err
		}
		i := strings.IndexByte(s, '%')
		if i < 0 {
			return e.emit(out, s)
		}
		if err := e.emit(out, s[:i]); err != nil {
			return err
		}
		n, err := e.expandOne(out, s[i:])
		if err != nil {
			return err
		}
		s = s[i+n:]
	}
	return nil
}

// tick checks cancellation every few hundred steps.
func (e *expander) tick() error {
	e.steps++
	if e.steps&255 == 0 && e.ctx != nil {
		if err := e.ctx.Err(); err != nil {
			return e.c.errorf("macro expansion cancelled: %v", err)
		}
	}
	return nil
}

// emit appends s to out, charging the output budget.
func (e *expander) emit(out *output, s string) error {
	e.budget -= int64(len(s))
	if e.budget < 0 {
		return e.c.errorf("macro expansion exceeds the output limit of %d bytes: likely a macro bomb", e.lim.MaxOutput)
	}
	out.WriteString(s)
	return nil
}

// expandOne expands the macro reference at the start of s (s[0] == '%') and
// returns the number of bytes consumed.
func (e *expander) expandOne(out *output, s string) (int, error) {
	if len(s) < 2 {
		return 1, e.emit(out, s)
	}
	switch s[1] {
	case '%':
		return 2, e.emit(out, "%")
	case '{':
		end := matchClose(s, 1, '{', '}')
		if end < 0 {
			return 0, e.c.errorf("unterminated {: %s", clip(s))
		}
		return end + 1, e.expandBraced(out, s[:end+1], s[2:end])
	case '(':
		end := matchClose(s, 1, '(', ')')
		if end < 0 {
			return 0, e.c.errorf("unterminated (: %s", clip(s))
		}
		return end + 1, e.shell(out, s[2:end])
	case '[':
		end := matchClose(s, 1, '[', ']')
		if end < 0 {
			return 0, e.c.errorf("unterminated [: %s", clip(s))
		}
		return end + 1, e.exprMacro(out, s[2:end])
	}
	return e.expandBare(out, s)
}

// clip shortens text quoted in error messages.
func clip(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if len(s) > 60 {
		s = s[:60] + "..."
	}
	return s
}

// matchClose returns the index of the bracket closing the one at s[open],
// skipping backslash-escaped characters, or -1.
func matchClose(s string, open int, l, r byte) int {
	lvl := 0
	for i := open; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case l:
			lvl++
		case r:
			lvl--
			if lvl == 0 {
				return i
			}
		}
	}
	return -1
}

// flags are the ! and ? prefixes of a macro reference.
type flags struct {
	negate, test bool
}

func parseFlags(s string) (flags, int) {
	var f flags
	i := 0
	for ; i < len(s); i++ {
		switch s[i] {
		case '!':
			f.negate = !f.negate
		case '?':
			f.test = true
		default:
			return f, i
		}
	}
	return f, i
}

func isNameByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// scanBareName returns the length of the macro name at the start of s.
func scanBareName(s string) int {
	i := 0
	dash := len(s) > 0 && s[0] == '-'
	if dash {
		i++
	}
	for i < len(s) && isNameByte(s[i]) {
		i++
	}
	named := i > 0 && !(dash && i == 1)
	if i < len(s) && (dash && named || !named && !dash) {
		switch {
		case s[i] == '*':
			i++
			if !dash && i < len(s) && s[i] == '*' {
				i++
			}
		case s[i] == '#' && !dash:
			i++
		}
	}
	if dash && i == 1 {
		return 0
	}
	return i
}

// expandBare handles %name, %?name, %!?name and the parametric form
// "%name args to end of line".
func (e *expander) expandBare(out *output, s string) (int, error) {
	f, fl := parseFlags(s[1:])
	rest := s[1+fl:]
	n := scanBareName(rest)
	if n == 0 {
		return 1, e.emit(out, "%")
	}
	name := rest[:n]
	consumed := 1 + fl + n
	e.noteName(name)
	if b := e.c.lookupBuiltin(name); b != nil && !f.test {
		used, err := e.builtinBare(out, b, name, rest[n:])
		return consumed + used, err
	}
	m := e.c.tab.get(name)
	if f.test {
		defined := m != nil || builtins[name] != nil
		if defined == f.negate || m == nil {
			return consumed, nil
		}
	}
	if m == nil {
		if name[0] == '-' {
			return consumed, nil
		}
		return consumed, e.emit(out, s[:consumed])
	}
	if !m.Parametric {
		return consumed, e.expandBody(out, m)
	}
	args, used := lineArgs(rest[n:])
	return consumed + used, e.call(out, m, args, true)
}

// noteName records reads of call arguments for the body cache.
func (e *expander) noteName(name string) {
	if isArgName(name) && len(e.frames) < e.argDepth {
		e.argDepth = len(e.frames)
	}
}

// expandBody expands the body of a plain macro. Results are cached per
// definition while no macro changes, as long as the expansion had no effects
// and read no argument of an enclosing call: rpm would compute the same text
// again (%dist, for one, expands ten thousand %{?distprefixN} each time).
func (e *expander) expandBody(out *output, m *Macro) error {
	if isArgName(m.Name) {
		// rpm 4.18 defines call arguments as literal macros: their
		// text is not expanded again.
		return e.emit(out, m.Body)
	}
	gen := e.c.tab.gen
	if cb, ok := e.c.bodyCache[m]; ok && cb.gen == gen {
		return e.emit(out, cb.out)
	}
	impure, argDepth := e.impure, e.argDepth
	e.argDepth = len(e.frames) + 1
	var b output
	err := e.expandInto(&b, m.Body)
	clean := err == nil && e.impure == impure && e.c.tab.gen == gen && e.argDepth > len(e.frames)
	e.argDepth = min(argDepth, e.argDepth)
	if err != nil {
		return err
	}
	if clean {
		if e.c.bodyCache == nil {
			e.c.bodyCache = map[*Macro]cachedBody{}
		}
		e.c.bodyCache[m] = cachedBody{gen: gen, out: b.String()}
	}
	return e.emit(out, b.String())
}

// quickOptional expands s when it is exactly %{?name} of a plain or
// undefined macro, the form Lua code probes thousands of times; ok is false
// when s needs the general path.
func (e *expander) quickOptional(s string) (string, bool) {
	if len(s) < 5 || !strings.HasPrefix(s, "%{?") || s[len(s)-1] != '}' {
		return "", false
	}
	name := s[3 : len(s)-1]
	for i := 0; i < len(name); i++ {
		if !isNameByte(name[i]) {
			return "", false
		}
	}
	if isArgName(name) || builtins[name] != nil {
		return "", false
	}
	m := e.c.tab.get(name)
	if m == nil {
		return "", true
	}
	if m.Parametric {
		return "", false
	}
	var b output
	if err := e.expandBody(&b, m); err != nil {
		return "", false
	}
	return b.String(), true
}

// lineArgs returns the argument text of a bare parametric call: the rest of
// the line, and how much of s it consumes (the newline is kept).
func lineArgs(s string) (string, int) {
	end := strings.IndexByte(s, '\n')
	if end < 0 {
		end = len(s)
	}
	return s[:end], end
}

// expandBraced handles %{...}; whole is the full reference, inner what is
// between the braces.
func (e *expander) expandBraced(out *output, whole, inner string) error {
	f, fl := parseFlags(inner)
	body := inner[fl:]
	nameEnd := strings.IndexAny(body, ": \t\n")
	name, sep, arg := body, byte(0), ""
	if nameEnd >= 0 {
		name, sep, arg = body[:nameEnd], body[nameEnd], body[nameEnd+1:]
	}
	if name == "" {
		return e.emit(out, whole)
	}
	e.noteName(name)
	if name[0] == '-' && sep == ':' {
		// %{-f:text} and %{!-f:text} test the option like %{?-f:text}.
		f.test = true
	}
	b := e.c.lookupBuiltin(name)
	m := e.c.tab.get(name)
	if f.test {
		defined := m != nil || b != nil
		if defined == f.negate {
			return nil
		}
		if sep == ':' {
			return e.expandInto(out, arg)
		}
		if f.negate {
			return nil
		}
	}
	if b != nil {
		return e.builtinBraced(out, b, name, sep, arg)
	}
	if m == nil {
		if name[0] == '-' {
			return nil
		}
		return e.emit(out, whole)
	}
	if !m.Parametric {
		return e.expandBody(out, m)
	}
	if sep == ':' || sep == 0 {
		return e.call(out, m, "", false)
	}
	return e.call(out, m, arg, true)
}

// call invokes a parametric macro with the argument text args (expanded
// before splitting when expandArgs is set).
func (e *expander) call(out *output, m *Macro, args string, expandArgs bool) error {
	if expandArgs && strings.IndexByte(args, '%') >= 0 {
		var err error
		if args, err = e.expandString(args); err != nil {
			return err
		}
	}
	argv := splitArgs(args)
	frame, err := getopt(m.Opts, argv)
	if err != nil {
		return e.c.errorf("%s in %s(%s)", err.Error(), m.Name, m.Opts)
	}
	e.level++
	level := e.level
	defer func() {
		e.c.popScope(level)
		e.level--
		e.frames = e.frames[:len(e.frames)-1]
	}()
	e.frames = append(e.frames, frame)
	e.defineArgs(m, argv, frame, level)
	return e.expandInto(out, m.Body)
}

// defineArgs pushes %0, %*, %**, %#, %1.., %-f and %-f* for a call.
func (e *expander) defineArgs(m *Macro, argv []string, f *callFrame, level int) {
	c := e.c
	c.push("0", "", false, m.Name, level)
	c.push("**", "", false, strings.Join(argv, " "), level)
	c.push("*", "", false, strings.Join(f.args, " "), level)
	c.push("#", "", false, itoa(len(f.args)), level)
	for i, a := range f.args {
		c.push(itoa(i+1), "", false, a, level)
	}
	for _, o := range f.opts {
		flag := "-" + string(o.flag)
		if strings.Contains(m.Opts, string(o.flag)+":") {
			c.push(flag, "", false, flag+" "+o.value, level)
		} else {
			c.push(flag, "", false, flag, level)
		}
		c.push(flag+"*", "", false, o.value, level)
	}
}

// splitArgs splits on blanks, keeping %{quote:} groups whole.
func splitArgs(s string) []string {
	var out []string
	var cur strings.Builder
	inQuote, have := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == quoteMark[0]:
			inQuote = !inQuote
			have = true
		case !inQuote && (c == ' ' || c == '\t' || c == '\n'):
			if have {
				out = append(out, cur.String())
				cur.Reset()
				have = false
			}
		default:
			cur.WriteByte(c)
			have = true
		}
	}
	if have {
		out = append(out, cur.String())
	}
	return out
}

func itoa(i int) string {
	if i >= 0 && i < 10 {
		return string(rune('0' + i))
	}
	return formatInt(int64(i))
}

// getopt parses argv against a getopt option string with GNU permutation. An
// option string starting with "-" disables option processing.
func getopt(opts string, argv []string) (*callFrame, error) {
	f := &callFrame{}
	if strings.HasPrefix(opts, "-") {
		f.args = argv
		return f, nil
	}
	for i := 0; i < len(argv); i++ {
		a := argv[i]
		if a == "--" {
			f.args = append(f.args, argv[i+1:]...)
			break
		}
		if len(a) < 2 || a[0] != '-' {
			f.args = append(f.args, a)
			continue
		}
		for j := 1; j < len(a); j++ {
			k := strings.IndexByte(opts, a[j])
			if k < 0 || a[j] == ':' {
				return nil, &getoptError{a[j]}
			}
			if k+1 < len(opts) && opts[k+1] == ':' {
				val := a[j+1:]
				if val == "" {
					if i+1 >= len(argv) {
						return nil, &getoptError{a[j]}
					}
					i++
					val = argv[i]
				}
				f.opts = append(f.opts, optValue{a[j], val})
				break
			}
			f.opts = append(f.opts, optValue{flag: a[j]})
		}
	}
	return f, nil
}

type getoptError struct{ flag byte }

func (g *getoptError) Error() string { return "Unknown option " + string(g.flag) }
