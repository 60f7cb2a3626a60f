package macro

import (
	"regexp"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// Fedora's fedora.common module probes %{?<rpmvar>0} ... %{?<rpmvar>9999} in
// getsuffixed, which Go and font macros call dozens of times per spec; in
// gopher-lua that loop is most of the time spent on the corpus. When a
// module holds the loop verbatim, its numeric for is replaced by a generic
// for over a native iterator that skips the suffixes whose macro is not
// defined: for those the body's rpm.expand gives "" without any effect, and
// the body then does nothing. The body itself still runs in Lua. The
// iterator skips only while rpm.expand is the engine's own and rpmvar a
// plain macro name; otherwise it yields every suffix. Config.PlainLua turns
// this off.

// getsuffixedLoop is the loop as fedora/common.lua writes it.
const getsuffixedLoop = `for suffix=0,9999 do
    local value = rpm.expand("%{?" .. rpmvar .. suffix .. "}")
    if (value ~= "") then
      suffixes[tostring(suffix)] = value
    end
  end`

// getsuffixedRE matches getsuffixedLoop with any amount of blank space
// where it has some.
var getsuffixedRE = regexp.MustCompile(func() string {
	f := strings.Fields(getsuffixedLoop)
	for i := range f {
		f[i] = regexp.QuoteMeta(f[i])
	}
	return strings.Join(f, `\s+`)
}())

// nativeModulePrefix binds the iterator factory, passed by require as the
// module chunk's second argument; it keeps line 1 a single line.
const nativeModulePrefix = "local __azldev_module, __azldev_suffixes = ... "

// withNativeLoop rewrites a module's source to iterate over defined
// suffixes only; ok is false when the source does not hold the loop. Line
// numbers are unchanged.
func withNativeLoop(src string) (string, bool) {
	loc := getsuffixedRE.FindStringIndex(src)
	if loc == nil || strings.HasPrefix(src, "#") {
		return src, false
	}
	loop := src[loc[0]:loc[1]]
	head := strings.Index(loop, "do")
	return nativeModulePrefix + src[:loc[0]] + "for suffix in __azldev_suffixes(rpmvar) " + loop[head:] + src[loc[1]:], true
}

// luaSuffixes returns an iterator over the suffixes 0..9999 that
// getsuffixedLoop's body must see for rpmvar (the first argument).
func (l *luaEnv) luaSuffixes(L *lua.LState) int {
	stem, ok := L.Get(1).(lua.LString)
	skip := ok && isMacroName(string(stem))
	n := -1
	L.Push(L.NewFunction(func(L *lua.LState) int {
		switch {
		case skip && l.ownExpand(L):
			n = l.c.tab.nextSuffixed(string(stem), n)
		case n >= 0 && n < maxSuffix || n == -1:
			n++
		default:
			n = -1
		}
		if n < 0 {
			L.Push(lua.LNil)
		} else {
			L.Push(lua.LNumber(n))
		}
		return 1
	}))
	return 1
}

// ownExpand reports whether the global rpm.expand is the engine's.
func (l *luaEnv) ownExpand(L *lua.LState) bool {
	t, ok := L.GetGlobal("rpm").(*lua.LTable)
	return ok && t.RawGetString("expand") == l.expandFn
}

// isMacroName reports whether s is a plain macro name that no builtin or
// call argument can shadow once digits are appended.
func isMacroName(s string) bool {
	if s == "" || isDigit(s[0]) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isNameByte(s[i]) {
			return false
		}
	}
	return true
}
