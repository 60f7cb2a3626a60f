package macro

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	lua "github.com/yuin/gopher-lua"
	"github.com/yuin/gopher-lua/parse"
)

// luaEnv is a context's Lua state. Globals persist across %{lua:} chunks of
// one context, as they do within one rpm process.
type luaEnv struct {
	L    *lua.LState
	c    *Context
	outs []*strings.Builder
	// expandFn is the engine's rpm.expand; suffixesFn is luaSuffixes,
	// made on first use.
	expandFn, suffixesFn *lua.LFunction
	// libs records what pure chunks rely on (see pristine).
	libs []libEntry
	// libSizes holds the number of entries of the string and table
	// libraries.
	libSizes map[*lua.LTable]int
	// initial records the fresh state, to reset it for reuse.
	initial *initialTables
	// failed is set when a chunk failed; the state is then not reused.
	failed bool
}

// luaModule is a compiled module under <configdir>/lua.
type luaModule struct {
	proto *lua.FunctionProto
	// native is set when the module takes luaSuffixes as its second
	// argument (see withNativeLoop).
	native bool
}

// chunkCache holds compiled %{lua:} chunks, shared by all contexts.
var chunkCache sync.Map // string -> *chunk

// maxLuaString bounds strings built by string.rep and print output.
const maxLuaString = 16 << 20

func compileLua(src, name string) (*lua.FunctionProto, error) {
	chunk, err := parse.Parse(strings.NewReader(luaCompat(src)), name)
	if err != nil {
		return nil, err
	}
	return lua.Compile(chunk, name)
}

// compileLuaModules compiles every module under dir, named like require
// expects ("fedora/srpm/python.lua" is "fedora.srpm.python"); unless plain
// is set, modules holding Fedora's getsuffixed loop get the native one.
func compileLuaModules(dir string, plain bool) (map[string]*luaModule, error) {
	mods := map[string]*luaModule{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if d.IsDir() || !strings.HasSuffix(p, ".lua") {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		name := strings.ReplaceAll(strings.TrimSuffix(rel, ".lua"), string(filepath.Separator), ".")
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		mod := &luaModule{}
		text := string(src)
		if !plain {
			text, mod.native = withNativeLoop(text)
		}
		if mod.proto, err = compileLua(text, "@"+p); err != nil {
			return fmt.Errorf("lua module %s: %w", name, err)
		}
		mods[name] = mod
		return nil
	})
	return mods, err
}

// luaState returns the context's Lua state, creating it on first use.
func (c *Context) luaState() *luaEnv {
	if c.lua == nil {
		c.lua = c.takeLuaEnv()
		for name, values := range c.luaLists {
			c.lua.ensureList(name)
			for _, v := range values {
				c.lua.appendGlobal(name, v)
			}
		}
		c.luaLists = nil
	}
	return c.lua
}

func newLuaEnv(c *Context) *luaEnv {
	L := lua.NewState(lua.Options{SkipOpenLibs: true, CallStackSize: 200, RegistrySize: 256, RegistryMaxSize: 1 << 20, MinimizeStackMemory: true})
	l := &luaEnv{L: L, c: c}
	for _, lib := range []struct {
		name string
		open lua.LGFunction
	}{{lua.BaseLibName, lua.OpenBase}, {lua.TabLibName, lua.OpenTable}, {lua.StringLibName, lua.OpenString}, {lua.MathLibName, lua.OpenMath}, {lua.OsLibName, lua.OpenOs}} {
		L.Push(L.NewFunction(lib.open))
		L.Push(lua.LString(lib.name))
		L.Call(1, 0)
	}
	l.restrict()
	l.installRPM()
	l.initial = snapshotState(L)
	l.snapshotLibs()
	return l
}

// restrict removes or replaces everything that could reach the host.
func (l *luaEnv) restrict() {
	L := l.L
	osT := L.GetGlobal("os").(*lua.LTable)
	for _, f := range []string{"execute", "exit", "remove", "rename", "setenv", "tmpname"} {
		osT.RawSetString(f, lua.LNil)
	}
	osT.RawSetString("getenv", L.NewFunction(l.getenv))
	osT.RawSetString("setlocale", L.NewFunction(func(L *lua.LState) int {
		L.Push(lua.LString("C"))
		return 1
	}))
	L.SetGlobal("dofile", L.NewFunction(l.dofile))
	L.SetGlobal("loadfile", L.NewFunction(l.loadfile))
	L.SetGlobal("print", L.NewFunction(l.print))
	L.SetGlobal("require", L.NewFunction(l.require))
	pkg := L.NewTable()
	pkg.RawSetString("loaded", L.NewTable())
	L.SetGlobal("package", pkg)
	strT := L.GetGlobal("string").(*lua.LTable)
	strT.RawSetString("gmatch", L.NewFunction(gmatch(strT.RawGetString("gmatch").(*lua.LFunction))))
	rep := strT.RawGetString("rep").(*lua.LFunction)
	strT.RawSetString("rep", L.NewFunction(func(L *lua.LState) int {
		if n := L.OptInt(2, 0); int64(len(L.CheckString(1)))*int64(n) > maxLuaString {
			L.RaiseError("string.rep: result larger than %d bytes", maxLuaString)
		}
		return rep.GFunction(L)
	}))
	l.compat()
	l.installIO()
}

// gmatch wraps string.gmatch so that the iterator works on its own, as in
// standard Lua (gopher-lua's needs its state argument).
func gmatch(orig *lua.LFunction) lua.LGFunction {
	return func(L *lua.LState) int {
		L.Push(orig)
		L.Push(L.Get(1))
		L.Push(L.Get(2))
		L.Call(2, 2)
		iter, state := L.Get(-2), L.Get(-1)
		L.Pop(2)
		L.Push(L.NewFunction(func(L *lua.LState) int {
			base := L.GetTop()
			L.Push(iter)
			L.Push(state)
			L.Call(1, lua.MultRet)
			return L.GetTop() - base
		}))
		return 1
	}
}

// LuaAppend appends value to the Lua global list name, creating it; rpm
// keeps the spec's sources and patches in such lists.
// The Lua state is created lazily, so lists made before it are kept in Go.
func (c *Context) LuaAppend(name, value string) { c.luaAppend(name, lua.LString(value)) }

// LuaAppendInt appends a number to the Lua global list name (rpm's
// patch_nums).
func (c *Context) LuaAppendInt(name string, value int) { c.luaAppend(name, lua.LNumber(value)) }

func (c *Context) luaAppend(name string, value lua.LValue) {
	if c.lua == nil {
		if c.luaLists == nil {
			c.luaLists = map[string][]lua.LValue{}
		}
		c.luaLists[name] = append(c.luaLists[name], value)
		return
	}
	c.lua.appendGlobal(name, value)
}

// LuaList makes the Lua global name a new empty list, as rpm does for its
// spec lists when it starts reading a spec.
func (c *Context) LuaList(name string) {
	if c.lua != nil {
		c.lua.L.SetGlobal(name, c.lua.L.NewTable())
		return
	}
	if c.luaLists == nil {
		c.luaLists = map[string][]lua.LValue{}
	}
	c.luaLists[name] = nil
}

func (l *luaEnv) ensureList(name string) *lua.LTable {
	t, ok := l.L.GetGlobal(name).(*lua.LTable)
	if !ok {
		t = l.L.NewTable()
		l.L.SetGlobal(name, t)
	}
	return t
}

func (l *luaEnv) appendGlobal(name string, value lua.LValue) {
	l.ensureList(name).Append(value)
}

// compat adds the Lua 5.4 functions that Fedora's macros use.
func (l *luaEnv) compat() {
	L := l.L
	tab := L.GetGlobal("table").(*lua.LTable)
	tab.RawSetString("unpack", L.GetGlobal("unpack"))
	strT := L.GetGlobal("string").(*lua.LTable)
	format := strT.RawGetString("format").(*lua.LFunction)
	strT.RawSetString("format", L.NewFunction(func(L *lua.LState) int {
		if f, ok := L.Get(1).(lua.LString); ok && strings.Contains(string(f), "u") {
			L.Replace(1, lua.LString(formatU(string(f))))
		}
		return format.GFunction(L)
	}))
	math := L.GetGlobal("math").(*lua.LTable)
	math.RawSetString("tointeger", L.NewFunction(func(L *lua.LState) int {
		v := L.Get(1)
		if s, ok := v.(lua.LString); ok {
			if i, err := strconv.ParseInt(strings.TrimSpace(string(s)), 10, 64); err == nil {
				v = lua.LNumber(i)
			}
		}
		if n, ok := v.(lua.LNumber); ok && float64(n) == float64(int64(n)) {
			L.Push(n)
		} else {
			L.Push(lua.LNil)
		}
		return 1
	}))
	u := L.NewTable()
	u.RawSetString("len", L.NewFunction(func(L *lua.LState) int {
		s := L.CheckString(1)
		if !utf8.ValidString(s) {
			L.Push(lua.LNil)
			return 1
		}
		L.Push(lua.LNumber(utf8.RuneCountInString(s)))
		return 1
	}))
	L.SetGlobal("utf8", u)
}

// formatU turns the %u conversions of a string.format format, which Lua
// 5.4 accepts and gopher-lua passes to Go's fmt, into %d.
func formatU(f string) string {
	b := []byte(f)
	for i := 0; i < len(b); i++ {
		if b[i] != '%' {
			continue
		}
		j := i + 1
		for j < len(b) && strings.IndexByte("-+ #0123456789.", b[j]) >= 0 {
			j++
		}
		if j < len(b) && b[j] == 'u' {
			b[j] = 'd'
		}
		i = j
	}
	return string(b)
}

func (l *luaEnv) getenv(L *lua.LState) int {
	if v, ok := l.c.opts.Env[L.CheckString(1)]; ok {
		L.Push(lua.LString(v))
	} else {
		L.Push(lua.LNil)
	}
	return 1
}

// print appends its arguments, tab-separated, to the expansion output, as
// rpm's print does (no newline is added).
func (l *luaEnv) print(L *lua.LState) int {
	if len(l.outs) == 0 {
		return 0
	}
	out := l.outs[len(l.outs)-1]
	n := L.GetTop()
	for i := 1; i <= n; i++ {
		if i > 1 {
			out.WriteByte('\t')
		}
		out.WriteString(L.ToStringMeta(L.Get(i)).String())
	}
	if out.Len() > maxLuaString {
		L.RaiseError("print: output larger than %d bytes", maxLuaString)
	}
	return 0
}

// require loads modules from the configuration's lua/ directory only.
func (l *luaEnv) require(L *lua.LState) int {
	name := L.CheckString(1)
	loaded := L.GetGlobal("package").(*lua.LTable).RawGetString("loaded").(*lua.LTable)
	if v := loaded.RawGetString(name); v != lua.LNil {
		L.Push(v)
		return 1
	}
	mod := l.c.base.luaMods[name]
	if mod == nil {
		L.RaiseError("module '%s' not found in %s", name, filepath.Join(l.c.base.confDir, "lua"))
	}
	L.Push(L.NewFunctionFromProto(mod.proto))
	L.Push(lua.LString(name))
	nargs := 1
	if mod.native {
		if l.suffixesFn == nil {
			l.suffixesFn = L.NewFunction(l.luaSuffixes)
		}
		L.Push(l.suffixesFn)
		nargs++
	}
	L.Call(nargs, 1)
	v := L.Get(-1)
	if v == lua.LNil {
		v = lua.LTrue
	}
	loaded.RawSetString(name, v)
	L.Push(v)
	return 1
}

// luaFile returns the source of a Lua file under the module root.
func (l *luaEnv) luaFile(L *lua.LState, p string) string {
	root := filepath.Join(l.c.base.confDir, "lua")
	if !filepath.IsAbs(p) {
		p = filepath.Join(root, p)
	}
	p = filepath.Clean(p)
	if !strings.HasPrefix(p, root+string(filepath.Separator)) {
		L.RaiseError("%s: outside the Lua module directory", p)
	}
	data, err := l.c.readAllowed(p)
	if err != nil {
		L.RaiseError("%v", err)
	}
	return string(data)
}

func (l *luaEnv) loadfile(L *lua.LState) int {
	p := L.CheckString(1)
	fn, err := L.LoadString(l.luaFile(L, p))
	if err != nil {
		L.Push(lua.LNil)
		L.Push(lua.LString(err.Error()))
		return 2
	}
	L.Push(fn)
	return 1
}

func (l *luaEnv) dofile(L *lua.LState) int {
	fn, err := L.LoadString(l.luaFile(L, L.CheckString(1)))
	if err != nil {
		L.RaiseError("%v", err)
	}
	top := L.GetTop()
	L.Push(fn)
	L.Call(0, lua.MultRet)
	return L.GetTop() - top
}

// runLua executes a %{lua:} chunk and appends what it prints to out.
func (e *expander) runLua(out *output, code string) error {
	if v, ok := pureOutputs.Load(code); ok && (e.c.lua == nil || e.c.lua.pristine()) {
		return e.emit(out, v.(string))
	}
	l := e.c.luaState()
	L := l.L
	ch, err := cachedChunk(code)
	if err != nil {
		return e.c.errorf("lua script failed: %v", err)
	}
	restore := l.setArgs(e.topFrame())
	defer restore()
	ctx := e.ctx
	if ctx == nil {
		ctx = context.Background()
	}
	if prev := L.Context(); prev == nil {
		tctx, cancel := context.WithTimeout(ctx, e.lim.LuaTimeout)
		defer cancel()
		L.SetContext(tctx)
		defer L.RemoveContext()
	}
	var buf strings.Builder
	l.outs = append(l.outs, &buf)
	L.Push(L.NewFunctionFromProto(ch.proto))
	err = L.PCall(0, 0, nil)
	l.outs = l.outs[:len(l.outs)-1]
	if err != nil {
		return e.luaError(err)
	}
	switch {
	case ch.kind == impureChunk || !l.pristine():
		// The chunk may have changed what others print: cached
		// expansions must not be reused.
		e.impure++
		e.c.tab.gen++
	case ch.kind == pureChunk:
		pureOutputs.Store(code, buf.String())
	case !l.ownExpand(L):
		e.impure++
	}
	return e.emit(out, buf.String())
}

// luaError turns a Lua failure into a positioned error, keeping errors raised
// by nested macro expansion intact.
func (e *expander) luaError(err error) error {
	e.c.lua.failed = true
	var api *lua.ApiError
	if errors.As(err, &api) {
		if me, ok := api.Cause.(*Error); ok {
			return me
		}
		if api.Type == lua.ApiErrorRun && e.c.lua.L.Context() != nil && e.c.lua.L.Context().Err() != nil {
			if e.ctx != nil && e.ctx.Err() != nil {
				return e.c.errorf("lua script cancelled: %v", e.ctx.Err())
			}
			return e.c.errorf("lua script exceeded the time limit of %s", e.lim.LuaTimeout)
		}
		msg := api.Object.String()
		return e.c.errorf("lua script failed: %s", msg)
	}
	return e.c.errorf("lua script failed: %v", err)
}

// chunk is a compiled %{lua:} chunk.
type chunk struct {
	proto *lua.FunctionProto
	kind  chunkKind
}

func cachedChunk(code string) (*chunk, error) {
	if ch, ok := chunkCache.Load(code); ok {
		return ch.(*chunk), nil
	}
	p, err := compileLua(code, "<lua>")
	if err != nil {
		return nil, err
	}
	ch := &chunk{proto: p, kind: classifyChunk(code, p)}
	chunkCache.Store(code, ch)
	return ch, nil
}

func (e *expander) topFrame() *callFrame {
	if len(e.frames) == 0 {
		return nil
	}
	return e.frames[len(e.frames)-1]
}

// setArgs installs the arg and opt globals of a parametric call and returns
// a function restoring the previous ones.
func (l *luaEnv) setArgs(f *callFrame) func() {
	L := l.L
	oldArg, oldOpt := L.GetGlobal("arg"), L.GetGlobal("opt")
	if f == nil {
		return func() {}
	}
	args := L.NewTable()
	for _, a := range f.args {
		args.Append(lua.LString(a))
	}
	opts := L.NewTable()
	for _, o := range f.opts {
		opts.RawSetString(string(o.flag), lua.LString(o.value))
	}
	L.SetGlobal("arg", args)
	L.SetGlobal("opt", opts)
	return func() {
		L.SetGlobal("arg", oldArg)
		L.SetGlobal("opt", oldOpt)
	}
}

func biLua(e *expander, out *output, _, arg string, _ bool) error {
	return e.runLua(out, arg)
}

// biLuaString implements rpm 4.19's string builtins through Lua's string
// library: %{len:s}, %{upper:s}, %{sub s i j}, %{gsub s pat repl [n]}, ...
func biLuaString(e *expander, out *output, name, arg string, _ bool) error {
	var args []string
	switch name {
	case "len", "upper", "lower", "reverse":
		args = []string{arg}
	default:
		args = splitArgs(arg)
	}
	L := e.c.luaState().L
	strT, ok := L.GetGlobal("string").(*lua.LTable)
	if !ok {
		return e.c.errorf("%%{%s}: the Lua string library is gone", name)
	}
	L.Push(strT.RawGetString(name))
	for i, a := range args {
		L.Push(luaStringArg(name, i+1, a))
	}
	if err := L.PCall(len(args), 1, nil); err != nil {
		return e.luaError(err)
	}
	v := L.Get(-1)
	L.Pop(1)
	return e.emit(out, v.String())
}

// luaIntArgs are the arguments (from 1) that the string builtins pass to
// Lua as integers.
var luaIntArgs = map[string][]int{"sub": {2, 3}, "rep": {2}, "gsub": {4}}

// luaStringArg converts argument i of a string builtin: Lua 5.4 accepts a
// numeric string where an integer is expected, gopher-lua does not.
func luaStringArg(name string, i int, a string) lua.LValue {
	if !slices.Contains(luaIntArgs[name], i) {
		return lua.LString(a)
	}
	t := strings.TrimSpace(a)
	if h, ok := strings.CutPrefix(strings.ToLower(t), "0x"); ok {
		if n, err := strconv.ParseInt(h, 16, 64); err == nil {
			return lua.LNumber(n)
		}
	}
	if f, err := strconv.ParseFloat(t, 64); err == nil && !strings.ContainsAny(strings.ToLower(t), "in") {
		return lua.LNumber(f)
	}
	return lua.LString(a)
}
