package macro

import (
	"context"
	"os"
	"path"
	"runtime"
	"strings"
)

// builtin is a macro implemented in Go.
type builtin struct {
	// fn produces the expansion; arg is the (possibly expanded) argument and
	// hasArg tells whether one was given.
	fn func(e *expander, out *output, name, arg string, hasArg bool) error
	// raw passes the argument unexpanded.
	raw bool
	// needArg makes a missing argument an error.
	needArg bool
	// noArg builtins take no argument in the bare form.
	noArg bool
	// weak builtins (from rpm 4.19 and later) yield to a user definition of
	// the same name.
	weak bool
}

var builtins map[string]*builtin

func init() {
	builtins = map[string]*builtin{
		"define":     {fn: biDefine, raw: true, needArg: true},
		"global":     {fn: biDefine, raw: true, needArg: true},
		"undefine":   {fn: biUndefine, raw: true, needArg: true},
		"dnl":        {fn: biNothing, raw: true},
		"expand":     {fn: biExpand},
		"lua":        {fn: biLua, raw: true},
		"expr":       {fn: biExpr, raw: true, needArg: true},
		"macrobody":  {fn: biMacrobody, needArg: true},
		"quote":      {fn: biQuote},
		"shescape":   {fn: biShescape},
		"shrink":     {fn: biShrink},
		"basename":   {fn: biBasename, needArg: true},
		"dirname":    {fn: biDirname, needArg: true},
		"suffix":     {fn: biSuffix, needArg: true},
		"url2path":   {fn: biURL2Path, needArg: true},
		"u2p":        {fn: biURL2Path, needArg: true},
		"uncompress": {fn: biUncompress, needArg: true},
		"echo":       {fn: biEcho},
		"warn":       {fn: biEcho},
		"error":      {fn: biError},
		"verbose":    {fn: biVerbose, raw: true},
		"getenv":     {fn: biGetenv, needArg: true},
		"getconfdir": {fn: biGetconfdir, noArg: true},
		"getncpus":   {fn: biGetncpus, noArg: true},
		"exists":     {fn: biExists, needArg: true},
		"load":       {fn: biLoad, needArg: true},
		"S":          {fn: biSourcePatch, needArg: true},
		"P":          {fn: biSourcePatch, needArg: true},
		"trace":      {fn: biNothing, noArg: true},
		"dump":       {fn: biNothing, noArg: true},
		"rpmversion": {fn: biRPMVersion, noArg: true, weak: true},
		"len":        {fn: biLuaString, weak: true},
		"upper":      {fn: biLuaString, weak: true},
		"lower":      {fn: biLuaString, weak: true},
		"reverse":    {fn: biLuaString, weak: true},
		"sub":        {fn: biLuaString, weak: true},
		"gsub":       {fn: biLuaString, weak: true},
		"rep":        {fn: biLuaString, weak: true},
	}
}

// RPMVersion is the rpm version this engine emulates.
const RPMVersion = "4.18.0"

// lookupBuiltin returns the builtin called name unless a weak builtin is
// shadowed by a user definition.
func (c *Context) lookupBuiltin(name string) *builtin {
	b := builtins[name]
	if b != nil && b.weak && c.tab.get(name) != nil {
		return nil
	}
	return b
}

// runBuiltin calls b with the given argument text.
func (e *expander) runBuiltin(out *output, b *builtin, name, arg string, hasArg bool) error {
	if b.needArg && (!hasArg || arg == "" && name != "undefine") {
		return e.c.errorf("%%%s: argument expected", name)
	}
	if hasArg && !b.raw && strings.IndexByte(arg, '%') >= 0 {
		var err error
		if arg, err = e.expandString(arg); err != nil {
			return err
		}
	}
	return b.fn(e, out, name, arg, hasArg)
}

// builtinBraced handles %{name:arg} and %{name arg}.
func (e *expander) builtinBraced(out *output, b *builtin, name string, sep byte, arg string) error {
	return e.runBuiltin(out, b, name, arg, sep != 0)
}

// builtinBare handles %name followed by s; it returns how much of s was used.
func (e *expander) builtinBare(out *output, b *builtin, name, s string) (int, error) {
	switch {
	case name == "define" || name == "global" || name == "undefine":
		n := definitionLen(s)
		return n, e.runBuiltin(out, b, name, s[:n], true)
	case name == "dnl":
		n := strings.IndexByte(s, '\n')
		if n < 0 {
			return len(s), nil
		}
		return n + 1, nil
	case b.noArg:
		return 0, e.runBuiltin(out, b, name, "", false)
	}
	arg, n := lineArgs(s)
	arg = strings.TrimLeft(arg, " \t")
	return n, e.runBuiltin(out, b, name, arg, arg != "")
}

// definitionLen returns the length of a %define's text: up to the end of the
// line, continuing over backslash-newlines and unclosed %{ or %(.
func definitionLen(s string) int {
	bc, pc := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			if i+1 < len(s) {
				i++
			}
		case '%':
			if i+1 < len(s) {
				switch s[i+1] {
				case '{':
					bc++
					i++
				case '(':
					pc++
					i++
				case '%':
					i++
				}
			}
		case '{':
			if bc > 0 {
				bc++
			}
		case '}':
			if bc > 0 {
				bc--
			}
		case '(':
			if pc > 0 {
				pc++
			}
		case ')':
			if pc > 0 {
				pc--
			}
		case '\n':
			if bc == 0 && pc == 0 {
				return i
			}
		}
	}
	return len(s)
}

func biDefine(e *expander, _ *output, name, arg string, _ bool) error {
	if name == "global" {
		return e.c.defineFrom(e, arg, 0, true)
	}
	return e.c.defineFrom(e, arg, e.level, false)
}

// defineFrom parses "name[(opts)] body" and defines it at level; expandBody
// expands the body first (%global).
func (c *Context) defineFrom(e *expander, s string, level int, expandBody bool) error {
	s = strings.TrimLeft(s, " \t\n")
	n := 0
	for n < len(s) && isNameByte(s[n]) {
		n++
	}
	name := s[:n]
	if name == "" || isDigit(name[0]) {
		return c.errorf("Macro %%%s has illegal name (%%define)", clip(s))
	}
	if b := builtins[name]; b != nil && !b.weak {
		return c.errorf("Macro %%%s is a built-in (%%define)", name)
	}
	s = s[n:]
	opts, parametric := "", false
	if strings.HasPrefix(s, "(") {
		end := strings.IndexByte(s, ')')
		if end < 0 {
			return c.errorf("Macro %%%s has unterminated opts", name)
		}
		opts, parametric, s = s[1:end], true, s[end+1:]
	}
	s = unescapeBody(s)
	if s != "" && s[0] != ' ' && s[0] != '\t' && s[0] != '\n' {
		return c.errorf("Macro %%%s needs whitespace before body", name)
	}
	body := strings.TrimSpace(s)
	if body == "" {
		return c.errorf("Macro %%%s has empty body", name)
	}
	if expandBody {
		var err error
		if e == nil {
			e = &expander{c: c, ctx: context.Background(), lim: c.base.limits, budget: c.base.limits.MaxOutput}
		}
		if body, err = e.expandString(body); err != nil {
			return err
		}
	}
	c.push(name, opts, parametric, body, level)
	return nil
}

// unescapeBody drops each backslash of a definition and keeps the character
// it escapes, as rpm does ("a\\b\.c\<newline>d" gives "a\b.c<newline>d").
func unescapeBody(s string) string {
	if strings.IndexByte(s, '\\') < 0 {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func biUndefine(e *expander, _ *output, _, arg string, _ bool) error {
	name := strings.TrimSpace(arg)
	if name == "" || !isNameByte(name[0]) {
		return e.c.errorf("Macro %%%s has illegal name (%%undefine)", clip(arg))
	}
	e.c.tab.pop(name)
	return nil
}

func biNothing(*expander, *output, string, string, bool) error { return nil }

func biExpand(e *expander, out *output, _, arg string, _ bool) error {
	return e.expandInto(out, arg)
}

func biExpr(e *expander, out *output, _, arg string, _ bool) error {
	return e.exprMacro(out, arg)
}

func biMacrobody(e *expander, out *output, _, arg string, _ bool) error {
	m := e.c.tab.get(strings.TrimSpace(arg))
	if m == nil {
		return e.c.errorf("no such macro: %s", arg)
	}
	return e.emit(out, m.Body)
}

func biQuote(e *expander, out *output, _, arg string, _ bool) error {
	return e.emit(out, quoteMark+arg+quoteMark)
}

func biShescape(e *expander, out *output, _, arg string, _ bool) error {
	return e.emit(out, "'"+strings.ReplaceAll(arg, "'", `'\''`)+"'")
}

func biShrink(e *expander, out *output, _, arg string, _ bool) error {
	return e.emit(out, strings.Join(strings.Fields(arg), " "))
}

func biBasename(e *expander, out *output, _, arg string, _ bool) error {
	if i := strings.LastIndexByte(arg, '/'); i >= 0 {
		arg = arg[i+1:]
	}
	return e.emit(out, arg)
}

func biDirname(e *expander, out *output, _, arg string, _ bool) error {
	if i := strings.LastIndexByte(arg, '/'); i >= 0 {
		arg = arg[:i]
	}
	return e.emit(out, arg)
}

func biSuffix(e *expander, out *output, _, arg string, _ bool) error {
	if i := strings.LastIndexByte(arg, '.'); i >= 0 {
		return e.emit(out, arg[i+1:])
	}
	return nil
}

// biURL2Path returns the path part of a URL (the argument itself when it is
// not a URL).
func biURL2Path(e *expander, out *output, _, arg string, _ bool) error {
	for _, scheme := range []string{"file://", "http://", "https://", "ftp://", "hkp://"} {
		if strings.HasPrefix(arg, scheme) {
			rest := arg[len(scheme):]
			if i := strings.IndexByte(rest, '/'); i >= 0 {
				return e.emit(out, rest[i:])
			}
			return nil
		}
	}
	return e.emit(out, arg)
}

func biUncompress(e *expander, out *output, _, arg string, _ bool) error {
	return e.expandInto(out, "%{__rpmuncompress} "+arg)
}

func biEcho(e *expander, _ *output, name, arg string, _ bool) error {
	e.impure++
	if name == "warn" {
		e.c.warn("warning: %s", arg)
	} else {
		e.c.warn("%s", arg)
	}
	return nil
}

func biError(e *expander, _ *output, _, arg string, _ bool) error {
	return e.c.errorf("%s", arg)
}

func biVerbose(e *expander, out *output, _, _ string, hasArg bool) error {
	if hasArg {
		return nil
	}
	if e.c.verbose {
		return e.emit(out, "1")
	}
	return e.emit(out, "0")
}

func biGetenv(e *expander, out *output, _, arg string, _ bool) error {
	return e.emit(out, e.c.opts.Env[strings.TrimSpace(arg)])
}

func biGetconfdir(e *expander, out *output, _, _ string, _ bool) error {
	return e.emit(out, e.c.base.confDir)
}

func biGetncpus(e *expander, out *output, _, _ string, _ bool) error {
	return e.emit(out, itoa(runtime.NumCPU()))
}

func biRPMVersion(e *expander, out *output, _, _ string, _ bool) error {
	return e.emit(out, RPMVersion)
}

// biExists reports whether a path exists; paths outside the allowed roots
// count as missing.
func biExists(e *expander, out *output, _, arg string, _ bool) error {
	p := strings.TrimSpace(arg)
	if _, ok := e.c.allowedPath(p); ok {
		if _, err := os.Stat(p); err == nil {
			return e.emit(out, "1")
		}
	}
	return e.emit(out, "0")
}

func biLoad(e *expander, _ *output, _, arg string, _ bool) error {
	e.impure++
	return e.c.LoadFile(e.ctx, strings.TrimSpace(arg))
}

func biSourcePatch(e *expander, out *output, name, arg string, _ bool) error {
	tag := "%SOURCE"
	if name == "P" {
		tag = "%PATCH"
	}
	return e.expandInto(out, tag+strings.TrimSpace(arg))
}

// allowedPath cleans p and reports whether it lies under the configuration
// directory or one of the context's roots.
func (c *Context) allowedPath(p string) (string, bool) {
	if !path.IsAbs(p) {
		return "", false
	}
	p = path.Clean(p)
	roots := append([]string{c.base.confDir}, c.opts.Roots...)
	for _, r := range roots {
		if r == "" {
			continue
		}
		r = path.Clean(r)
		if p == r || strings.HasPrefix(p, r+"/") {
			return p, true
		}
	}
	return "", false
}
