package macro

import (
	"context"
	"testing"
)

// TestLuaStateReuse checks that a reused Lua state shows nothing of what
// the previous context did to it.
func TestLuaStateReuse(t *testing.T) {
	b, err := Load(context.Background(), Config{ConfigDir: "testdata/config"})
	if err != nil {
		t.Fatal(err)
	}
	const spoil = `%{lua:
x = 1
string.upper = string.lower
string.extra = 1
getmetatable("").__index = {len = function() return 99 end}
getmetatable("").extra = 1
rpm.expand = nil
rawset(macros, "m", 1)
setmetatable(math, {__index = function() return 7 end})
package.loaded["test.hello"] = {greet = function() return "spoiled" end}
_G.y = 2
setfenv(0, {})
}`
	const probe = `%{lua:
print(x, y, string.upper("a"), string.extra, ("ab"):len(), getmetatable("").extra,
  rpm.expand("%{?nope}x"), rawget(macros, "m"), math.nope, require("test.hello").greet("w"))
}`
	const fresh = "nil\tnil\tA\tnil\t2\tnil\tx\tnil\tnil\thello w"
	c := b.NewContext(Options{})
	if out, err := c.Expand(context.Background(), probe); err != nil || out != fresh {
		t.Fatalf("fresh state: got %q, %v", out, err)
	}
	if _, err := c.Expand(context.Background(), spoil); err != nil {
		t.Fatal(err)
	}
	L := c.lua.L
	c.Close()
	c = b.NewContext(Options{})
	defer c.Close()
	out, err := c.Expand(context.Background(), probe)
	if c.lua.L != L {
		t.Error("the Lua state was not reused")
	}
	if err != nil || out != fresh {
		t.Errorf("reused state: got %q, %v; want %q", out, err, fresh)
	}
}

// TestFailedLuaStateNotReused checks that a state whose chunk failed is
// dropped.
func TestFailedLuaStateNotReused(t *testing.T) {
	b, err := Load(context.Background(), Config{ConfigDir: "testdata/config"})
	if err != nil {
		t.Fatal(err)
	}
	c := b.NewContext(Options{})
	if _, err := c.Expand(context.Background(), `%{lua: error("x")}`); err == nil {
		t.Fatal("no error")
	}
	L := c.lua.L
	c.Close()
	c = b.NewContext(Options{})
	defer c.Close()
	if _, err := c.Expand(context.Background(), `%{lua: x = 1}`); err != nil || c.lua.L == L {
		t.Errorf("failed state reused (%v)", err)
	}
}
