package macro

import (
	"context"
	"strings"
	"testing"
)

// suffixedScript prints what test.suffixed's getsuffixed returns, in the
// table's own iteration order (which depends on insertion order).
const suffixedScript = `%{lua: local t = require("test.suffixed").getsuffixed(rpm.expand("%1"))
for s, v in pairs(t) do print(s .. "=" .. v .. ";") end}`

// TestNativeGetsuffixed checks the loop over defined suffixes against the
// plain Lua loop.
func TestNativeGetsuffixed(t *testing.T) {
	native := hermeticBase(t)
	if !native.luaMods["test.suffixed"].native {
		t.Fatal("test.suffixed was not given the native loop")
	}
	plain, err := Load(context.Background(), Config{ConfigDir: "testdata/config", PlainLua: true})
	if err != nil {
		t.Fatal(err)
	}
	defs := "%define probe() " + suffixedScript + "\n" +
		"%global x a\n%global x0 zero\n%global x3 three\n%global x12 %{x3}-twelve\n%global x05 no\n" +
		"%global x9999 last\n%global x10000 no\n%global x7() param\n%global x8 gone\n%undefine x8\n" +
		"%global x4 %{?x}%global x6 late\n%global x1 %{nil}\n%define y1 %{lua: tostring = function() return 'T' end}y\n"
	for _, tc := range []struct{ in, want string }{
		{"%probe x", "0=zero;3=three;4=a;6=late;7=param;12=three-twelve;9999=last;"},
		{"%probe nope", ""},
		{"%probe x1", "2=three-twelve;"},
		{"%probe y", "T=y;"},
		{"%probe y\n%probe y", "T=y;\nT=y;"},
		{"%{lua: print(require('test.suffixed').getsuffixed('x-')['0'])}", "nil"},
		{"%global z5 %{error:boom}\n%probe z", ""},
	} {
		want, werr := expandWith(t, plain, defs+tc.in)
		got, gerr := expandWith(t, native, defs+tc.in)
		if got != want || errText(gerr) != errText(werr) {
			t.Errorf("%q: native %q (%v), Lua %q (%v)", tc.in, got, gerr, want, werr)
		}
		if werr == nil && strings.TrimLeft(want, "\n") != tc.want {
			t.Errorf("%q: Lua gives %q, want %q", tc.in, want, tc.want)
		}
	}
}

func expandWith(t *testing.T, b *Base, s string) (string, error) {
	t.Helper()
	c := b.NewContext(Options{})
	defer c.Close()
	return c.Expand(context.Background(), s)
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// TestPureChunkCache checks that cached outputs of pure chunks neither come
// from nor go to a Lua state whose libraries a spec changed.
func TestPureChunkCache(t *testing.T) {
	b := hermeticBase(t)
	const pure = `%{lua: print(string.upper("a"), ("b"):upper())}`
	for _, tc := range []struct{ in, want string }{
		{pure, "A\tB"},
		{`%{lua: string.upper = string.lower}` + pure, "a\tb"},
		{`%{lua: local s = string; s.upper = string.lower}` + pure, "a\tb"},
		{`%{lua: getmetatable("").__index = {upper = string.lower}}` + pure, "A\tb"},
		{`%{lua: tostring = nil; print(1)}`, "1"},
		{`%{lua: tostring = nil; print(1)}%{lua: print(tostring)}`, "1nil"},
		{pure, "A\tB"},
	} {
		got, err := expandWith(t, b, tc.in)
		if err != nil || got != tc.want {
			t.Errorf("%s: got %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

func TestClassifyChunk(t *testing.T) {
	for _, tc := range []struct {
		code string
		want chunkKind
	}{
		{`print(1)`, pureChunk},
		{`for i = 0, 3 do print("%{?p" .. i .. "}") end`, pureChunk},
		{`local x = 1; print(x, string.upper("a"), table.concat({}))`, pureChunk},
		{`print(x); local x = 1`, impureChunk},
		{`tostring = nil`, impureChunk},
		{`function f() end`, impureChunk},
		{`local function f() return g end print(f())`, impureChunk},
		{`string.upper = nil`, impureChunk},
		{`string.upper, x = nil, 1`, impureChunk},
		{`local s = string`, impureChunk},
		{`print(math.random())`, impureChunk},
		{`print(rpm.expand("%{v}"))`, readerChunk},
		{`local e = rpm.expand; print(e("%x"))`, readerChunk},
		{`rpm.define("x 1")`, impureChunk},
		{`rpm.expand = print`, impureChunk},
		{`print(opt, arg)`, impureChunk},
	} {
		p, err := compileLua(tc.code, "<lua>")
		if err != nil {
			t.Fatal(err)
		}
		if got := classifyChunk(tc.code, p); got != tc.want {
			t.Errorf("%s: got %d, want %d", tc.code, got, tc.want)
		}
	}
}

// TestReaderChunkCache checks that bodies holding chunks that read macros
// are recomputed when a macro or the Lua state changes.
func TestReaderChunkCache(t *testing.T) {
	b := hermeticBase(t)
	const defs = "%define r %{lua: print(rpm.expand(\"%{v}\"))}\n%define v 1\n"
	for _, tc := range []struct{ in, want string }{
		{"%{r}%{r}", "11"},
		{"%{r}\n%define v 2\n%{r}", "1\n\n2"},
		{"%{r}%{lua: rpm.expand = function() return 'X' end}%{r}%{r}", "1XX"},
		{"%{r}%{lua: string.upper = nil}%{r}", "11"},
	} {
		got, err := expandWith(t, b, defs+tc.in)
		if err != nil || strings.TrimLeft(got, "\n") != tc.want {
			t.Errorf("%q: got %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}
