package macro

import (
	"os"
	"strconv"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// virtualFiles are host files some macro packages read; the sandbox serves
// fixed contents instead of the host's.
var virtualFiles = map[string]string{
	"/proc/meminfo": "MemTotal:       16384000 kB\nMemFree:         8192000 kB\nMemAvailable:   12288000 kB\n",
}

// installRPM creates the rpm, macros and posix tables.
func (l *luaEnv) installRPM() {
	L := l.L
	rpmT := L.NewTable()
	l.expandFn = L.NewFunction(l.rpmExpand)
	rpmT.RawSetString("expand", l.expandFn)
	L.SetFuncs(rpmT, map[string]lua.LGFunction{
		"define":      l.rpmDefine,
		"undefine":    l.rpmUndefine,
		"isdefined":   l.rpmIsdefined,
		"interactive": func(L *lua.LState) int { L.Push(lua.LFalse); return 1 },
		"vercmp":      l.rpmVercmp,
		"ver":         l.rpmVer,
		"load":        l.rpmLoad,
	})
	L.SetGlobal("rpm", rpmT)

	macros := L.NewTable()
	mt := L.NewTable()
	mt.RawSetString("__index", L.NewFunction(l.macrosIndex))
	mt.RawSetString("__newindex", L.NewFunction(l.macrosNewindex))
	L.SetMetatable(macros, mt)
	L.SetGlobal("macros", macros)

	posix := L.NewTable()
	L.SetFuncs(posix, map[string]lua.LGFunction{
		"access": l.posixAccess,
		"getenv": l.getenv,
		"stat":   l.posixStat,
		"uname":  posixUname,
	})
	L.SetGlobal("posix", posix)
}

// expander returns the expansion the Lua code runs in.
func (l *luaEnv) expander(L *lua.LState) *expander {
	if l.c.exp == nil {
		L.RaiseError("rpm: no expansion in progress")
	}
	return l.c.exp
}

func (l *luaEnv) rpmExpand(L *lua.LState) int {
	s := L.CheckString(1)
	e := l.expander(L)
	if v, ok := e.quickOptional(s); ok {
		L.Push(lua.LString(v))
		return 1
	}
	out, err := e.expandString(s)
	if err != nil {
		L.RaiseError("%s", err.Error())
	}
	L.Push(lua.LString(out))
	return 1
}

func (l *luaEnv) rpmDefine(L *lua.LState) int {
	if err := l.c.defineFrom(l.expander(L), L.CheckString(1), 0, false); err != nil {
		L.RaiseError("%s", err.Error())
	}
	return 0
}

func (l *luaEnv) rpmUndefine(L *lua.LState) int {
	l.c.tab.pop(L.CheckString(1))
	return 0
}

func (l *luaEnv) rpmIsdefined(L *lua.LState) int {
	m := l.c.tab.get(L.CheckString(1))
	L.Push(lua.LBool(m != nil))
	L.Push(lua.LBool(m != nil && m.Parametric))
	return 2
}

func (l *luaEnv) rpmVercmp(L *lua.LState) int {
	L.Push(lua.LNumber(Vercmp(L.CheckString(1), L.CheckString(2))))
	return 1
}

// rpmVer builds a version object with e, v, r fields and comparison.
func (l *luaEnv) rpmVer(L *lua.LState) int {
	evr := L.CheckString(1)
	ep, v, r := SplitEVR(evr)
	t := L.NewTable()
	t.RawSetString("e", lua.LString(ep))
	t.RawSetString("v", lua.LString(v))
	t.RawSetString("r", lua.LString(r))
	t.RawSetString("evr", lua.LString(evr))
	mt := L.NewTable()
	cmp := func(L *lua.LState) int {
		a := L.CheckTable(1).RawGetString("evr").String()
		b := L.CheckTable(2).RawGetString("evr").String()
		return CompareEVR(a, b)
	}
	mt.RawSetString("__eq", L.NewFunction(func(L *lua.LState) int { L.Push(lua.LBool(cmp(L) == 0)); return 1 }))
	mt.RawSetString("__lt", L.NewFunction(func(L *lua.LState) int { L.Push(lua.LBool(cmp(L) < 0)); return 1 }))
	mt.RawSetString("__le", L.NewFunction(func(L *lua.LState) int { L.Push(lua.LBool(cmp(L) <= 0)); return 1 }))
	mt.RawSetString("__tostring", L.NewFunction(func(L *lua.LState) int {
		L.Push(L.CheckTable(1).RawGetString("evr"))
		return 1
	}))
	L.SetMetatable(t, mt)
	L.Push(t)
	return 1
}

// SplitEVR splits "[epoch:]version[-release]".
func SplitEVR(evr string) (epoch, version, release string) {
	if i := strings.IndexByte(evr, ':'); i >= 0 {
		epoch, evr = evr[:i], evr[i+1:]
	}
	if i := strings.LastIndexByte(evr, '-'); i >= 0 {
		evr, release = evr[:i], evr[i+1:]
	}
	return epoch, evr, release
}

// CompareEVR compares two [epoch:]version[-release] strings as rpm does.
func CompareEVR(a, b string) int {
	ea, va, ra := SplitEVR(a)
	eb, vb, rb := SplitEVR(b)
	na, _ := strconv.Atoi(ea)
	nb, _ := strconv.Atoi(eb)
	if c := cmpInt(int64(na), int64(nb)); c != 0 {
		return c
	}
	if c := Vercmp(va, vb); c != 0 {
		return c
	}
	if ra == "" || rb == "" {
		return 0
	}
	return Vercmp(ra, rb)
}

// macrosIndex implements macros.name: the expansion of a plain macro, a
// callable for parametric macros and builtins, nil when undefined.
func (l *luaEnv) macrosIndex(L *lua.LState) int {
	name := L.CheckString(2)
	m := l.c.tab.get(name)
	b := l.c.lookupBuiltin(name)
	switch {
	case m == nil && b == nil:
		L.Push(lua.LNil)
	case b != nil || m.Parametric:
		L.Push(L.NewFunction(func(L *lua.LState) int { return l.callMacro(L, name) }))
	default:
		out, err := l.expander(L).expandString("%{" + name + "}")
		if err != nil {
			L.RaiseError("%s", err.Error())
		}
		L.Push(lua.LString(out))
	}
	return 1
}

// callMacro calls a macro with arguments given as a table or as values.
func (l *luaEnv) callMacro(L *lua.LState, name string) int {
	var args []string
	for i := 1; i <= L.GetTop(); i++ {
		if t, ok := L.Get(i).(*lua.LTable); ok {
			t.ForEach(func(_, v lua.LValue) { args = append(args, v.String()) })
			continue
		}
		args = append(args, L.Get(i).String())
	}
	e := l.expander(L)
	var out output
	var err error
	if b := l.c.lookupBuiltin(name); b != nil {
		err = e.runBuiltin(&out, b, name, strings.Join(args, " "), len(args) > 0)
	} else if m := l.c.tab.get(name); m != nil {
		err = e.call(&out, m, strings.Join(args, " "), false)
	}
	if err != nil {
		L.RaiseError("%s", err.Error())
	}
	L.Push(lua.LString(out.String()))
	return 1
}

func (l *luaEnv) macrosNewindex(L *lua.LState) int {
	name := L.CheckString(2)
	v := L.Get(3)
	if v == lua.LNil {
		l.c.tab.pop(name)
		return 0
	}
	if err := l.c.defineFrom(l.expander(L), name+" "+v.String(), 0, false); err != nil {
		L.RaiseError("%s", err.Error())
	}
	return 0
}

func (l *luaEnv) rpmLoad(L *lua.LState) int {
	if err := l.c.LoadFile(l.expander(L).ctx, L.CheckString(1)); err != nil {
		L.RaiseError("%s", err.Error())
	}
	return 0
}

// posixStat returns {mode, size, type} for allowed paths, nil otherwise.
func (l *luaEnv) posixStat(L *lua.LState) int {
	p := L.CheckString(1)
	st, err := os.Stat(p)
	if _, ok := l.c.allowedPath(p); !ok || err != nil {
		L.Push(lua.LNil)
		L.Push(lua.LString(p + ": No such file or directory"))
		return 2
	}
	t := L.NewTable()
	t.RawSetString("size", lua.LNumber(st.Size()))
	t.RawSetString("mode", lua.LString(st.Mode().String()))
	kind := "regular"
	if st.IsDir() {
		kind = "directory"
	}
	t.RawSetString("type", lua.LString(kind))
	L.Push(t)
	return 1
}

// posixUname describes a fixed, generic Linux host instead of the real one.
func posixUname(L *lua.LState) int {
	r := strings.NewReplacer("%s", "Linux", "%n", "localhost", "%r", "6.6.0", "%v", "#1 SMP", "%m", "x86_64", "%%", "%")
	L.Push(lua.LString(r.Replace(L.OptString(1, "%s %n %r %v %m"))))
	return 1
}

// posixAccess reports whether a path exists, within the allowed roots only.
func (l *luaEnv) posixAccess(L *lua.LState) int {
	p := L.CheckString(1)
	if _, ok := virtualFiles[p]; ok {
		L.Push(lua.LNumber(0))
		return 1
	}
	if _, ok := l.c.allowedPath(p); ok {
		if _, err := os.Stat(p); err == nil {
			L.Push(lua.LNumber(0))
			return 1
		}
	}
	L.Push(lua.LNil)
	L.Push(lua.LString(p + ": No such file or directory"))
	return 2
}

// installIO provides a read-only io table: io.open(path[, "r"]) and
// io.lines(path) on allowed files; io.write and io.stderr collect warnings.
func (l *luaEnv) installIO() {
	L := l.L
	ioT := L.NewTable()
	L.SetFuncs(ioT, map[string]lua.LGFunction{
		"open":  l.ioOpen,
		"lines": l.ioLines,
		"write": l.ioWrite,
	})
	stderr := L.NewTable()
	stderr.RawSetString("write", L.NewFunction(func(L *lua.LState) int {
		for i := 2; i <= L.GetTop(); i++ {
			l.c.warn("%s", strings.TrimRight(L.Get(i).String(), "\n"))
		}
		return 0
	}))
	ioT.RawSetString("stderr", stderr)
	ioT.RawSetString("stdout", stderr)
	L.SetGlobal("io", ioT)
}

func (l *luaEnv) ioWrite(L *lua.LState) int {
	for i := 1; i <= L.GetTop(); i++ {
		l.c.warn("lua io.write: %s", L.Get(i).String())
	}
	return 0
}

// readFile returns the content of a virtual or allowed file.
func (l *luaEnv) readFile(p string) (string, error) {
	if s, ok := virtualFiles[p]; ok {
		return s, nil
	}
	data, err := l.c.readAllowed(p)
	return string(data), err
}

func (l *luaEnv) ioOpen(L *lua.LState) int {
	p := L.CheckString(1)
	mode := L.OptString(2, "r")
	if strings.ContainsAny(mode, "wa+") {
		L.Push(lua.LNil)
		L.Push(lua.LString(p + ": writing files is not allowed in the sandbox"))
		return 2
	}
	data, err := l.readFile(p)
	if err != nil {
		L.Push(lua.LNil)
		L.Push(lua.LString(err.Error()))
		return 2
	}
	L.Push(l.fileObject(data))
	return 1
}

func (l *luaEnv) ioLines(L *lua.LState) int {
	p := L.CheckString(1)
	data, err := l.readFile(p)
	if err != nil {
		L.RaiseError("%v", err)
	}
	L.Push(linesIterator(L, data))
	return 1
}

func linesIterator(L *lua.LState, data string) *lua.LFunction {
	lines := strings.SplitAfter(data, "\n")
	i := 0
	return L.NewFunction(func(L *lua.LState) int {
		for i < len(lines) && lines[i] == "" {
			i++
		}
		if i >= len(lines) {
			L.Push(lua.LNil)
			return 1
		}
		L.Push(lua.LString(strings.TrimSuffix(lines[i], "\n")))
		i++
		return 1
	})
}

// fileObject is a minimal read-only file handle.
func (l *luaEnv) fileObject(data string) *lua.LTable {
	L := l.L
	f := L.NewTable()
	pos := 0
	f.RawSetString("read", L.NewFunction(func(L *lua.LState) int {
		format := strings.TrimPrefix(L.OptString(2, "l"), "*")
		if pos >= len(data) {
			L.Push(lua.LNil)
			return 1
		}
		switch format {
		case "a":
			L.Push(lua.LString(data[pos:]))
			pos = len(data)
		default:
			end := strings.IndexByte(data[pos:], '\n')
			if end < 0 {
				end = len(data) - pos
			}
			line := data[pos : pos+end]
			pos += end + 1
			if format == "L" {
				line += "\n"
			}
			L.Push(lua.LString(line))
		}
		return 1
	}))
	f.RawSetString("lines", L.NewFunction(func(L *lua.LState) int {
		L.Push(linesIterator(L, data[pos:]))
		return 1
	}))
	f.RawSetString("close", L.NewFunction(func(L *lua.LState) int { L.Push(lua.LTrue); return 1 }))
	return f
}
