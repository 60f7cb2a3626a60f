package macro

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	lua "github.com/yuin/gopher-lua"
)

// Limits bound the work one expansion may do.
type Limits struct {
	// MaxDepth is the maximum macro nesting depth (rpm uses 64).
	MaxDepth int
	// MaxOutput is the maximum number of bytes one top-level expansion may
	// produce, counting every intermediate result.
	MaxOutput int64
	// LuaTimeout bounds a single %{lua:} chunk.
	LuaTimeout time.Duration
}

// DefaultLimits are the limits used when a field of Limits is zero.
var DefaultLimits = Limits{MaxDepth: 64, MaxOutput: 64 << 20, LuaTimeout: 5 * time.Second}

func (l Limits) withDefaults() Limits {
	if l.MaxDepth <= 0 {
		l.MaxDepth = DefaultLimits.MaxDepth
	}
	if l.MaxOutput <= 0 {
		l.MaxOutput = DefaultLimits.MaxOutput
	}
	if l.LuaTimeout <= 0 {
		l.LuaTimeout = DefaultLimits.LuaTimeout
	}
	return l
}

// Error is a positioned expansion error.
type Error struct {
	File string
	Line int
	Msg  string
}

func (e *Error) Error() string {
	switch {
	case e.File != "" && e.Line > 0:
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	case e.File != "":
		return e.File + ": " + e.Msg
	}
	return e.Msg
}

// Warning is a positioned diagnostic that did not stop expansion.
type Warning struct {
	File string
	Line int
	Msg  string
}

func (w Warning) String() string {
	return (&Error{File: w.File, Line: w.Line, Msg: w.Msg}).Error()
}

// Options configure one Context.
type Options struct {
	// Roots are extra directories (besides the configuration directory)
	// that %{load:}, %include, %{exists:} and Lua's read-only file access
	// may look into, typically the spec's source directory.
	Roots []string
	// Env is the environment visible to %{getenv:}, Lua's os.getenv and
	// %(shell) variables. The host environment is never consulted.
	Env map[string]string
	// Shell runs %(...) commands; nil means the built-in safe interpreter.
	Shell ShellRunner
	// PosixShell makes the built-in interpreter reject bash-only syntax
	// (${v:o:l}, ${v,,}, ${v^^}, ${v/p/r}, <<<) the way dash does, for
	// comparisons with an rpm whose /bin/sh is dash. The default follows the
	// build root, whose /bin/sh is bash.
	PosixShell bool
}

// ShellRunner evaluates the (already macro-expanded) text of a %(...)
// expansion and returns its standard output.
type ShellRunner interface {
	Run(ctx context.Context, cmd string) (string, error)
}

// Context is a mutable macro namespace layered on a Base. It is not safe for
// concurrent use; create one per goroutine (they are cheap).
type Context struct {
	base     *Base
	tab      *table
	opts     Options
	scopeLog []scoped
	file     string
	line     int
	warnings []Warning
	lua      *luaEnv
	luaLists map[string][]lua.LValue // LuaAppend lists awaiting the Lua state
	exp      *expander               // the expansion in progress, for Lua callbacks
	spare    *expander               // a finished expansion, for reuse
	verbose  bool
	// bodyCache holds expansions of plain macro bodies; see expandBody.
	bodyCache map[*Macro]cachedBody
}

type cachedBody struct {
	gen uint64
	out string
}

type scoped struct {
	name  string
	level int
}

// NewContext returns a fresh context over b.
func (b *Base) NewContext(opts Options) *Context {
	return &Context{base: b, tab: newTable(b.tab), opts: opts}
}

// Close releases resources held by c (its Lua state goes back to the
// Base's pool).
func (c *Context) Close() {
	if c.lua != nil {
		c.releaseLuaEnv()
	}
}

// SetPos records the file and line that subsequent errors and warnings refer to.
func (c *Context) SetPos(file string, line int) {
	c.file, c.line = file, line
}

// Warnings returns the warnings collected so far.
func (c *Context) Warnings() []Warning { return c.warnings }

func (c *Context) warn(format string, args ...any) {
	c.warnings = append(c.warnings, Warning{File: c.file, Line: c.line, Msg: fmt.Sprintf(format, args...)})
}

func (c *Context) errorf(format string, args ...any) error {
	return &Error{File: c.file, Line: c.line, Msg: fmt.Sprintf(format, args...)}
}

// Define pushes a global definition of name (as rpm --define does, but without
// expanding body).
func (c *Context) Define(name, body string) {
	c.tab.push(name, "", false, body, 0)
}

// DefineLine defines a macro from "name[(opts)] body" text, like rpm --define.
func (c *Context) DefineLine(s string) error {
	return c.defineFrom(nil, s, 0, false)
}

// Undefine pops the top definition of name.
func (c *Context) Undefine(name string) { c.tab.pop(name) }

// Lookup returns the top definition of name.
func (c *Context) Lookup(name string) (*Macro, bool) {
	m := c.tab.get(name)
	return m, m != nil
}

// IsDefined reports whether name is a defined macro or a builtin.
func (c *Context) IsDefined(name string) bool {
	if c.tab.get(name) != nil {
		return true
	}
	_, ok := builtins[name]
	return ok
}

// Names returns the names of all defined macros, sorted.
func (c *Context) Names() []string {
	n := c.tab.names()
	sort.Strings(n)
	return n
}

// Expand expands every macro in s.
func (c *Context) Expand(ctx context.Context, s string) (string, error) {
	if c.exp != nil {
		// Re-entrant call (from Lua or a shell runner): share the budget.
		return c.exp.expandString(s)
	}
	e := c.newExpander(ctx)
	defer c.release(e)
	c.exp = e
	out, err := e.expandString(s)
	if err != nil {
		return "", err
	}
	return strings.ReplaceAll(out, quoteMark, ""), nil
}

// newExpander starts a top-level expansion, reusing the last finished one.
func (c *Context) newExpander(ctx context.Context) *expander {
	e := c.spare
	if e == nil {
		e = &expander{}
	}
	c.spare = nil
	*e = expander{c: c, ctx: ctx, lim: c.base.limits, budget: c.base.limits.MaxOutput, frames: e.frames[:0]}
	return e
}

// release ends the top-level expansion e.
func (c *Context) release(e *expander) {
	c.exp = nil
	e.ctx = nil
	c.spare = e
}

// popScope removes definitions made at level or deeper.
func (c *Context) popScope(level int) {
	for len(c.scopeLog) > 0 {
		s := c.scopeLog[len(c.scopeLog)-1]
		if s.level < level {
			return
		}
		c.scopeLog = c.scopeLog[:len(c.scopeLog)-1]
		if top := c.tab.get(s.name); top != nil && top.Level >= level {
			c.tab.pop(s.name)
		}
	}
}

// push defines name at level, recording scoped definitions for popScope.
func (c *Context) push(name, opts string, parametric bool, body string, level int) {
	c.tab.push(name, opts, parametric, body, level)
	if level > 0 {
		c.scopeLog = append(c.scopeLog, scoped{name, level})
	}
}
