package macro

import (
	"strings"
	"testing"
)

func TestLuaCompatRewrite(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"x = a // b", "x = math.floor((a ) / ( b))"},
		{"local n = math.max(1, t // (m * 1024))", "local n = math.max(1, math.floor((t ) / ( (m * 1024))))"},
		{"x = a.b:c(1)[2] // -f(3)", "x = math.floor((a.b:c(1)[2] ) / ( -f(3)))"},
		{"x = 1 + a // b * c", "x = 1 + math.floor((a ) / ( b)) * c"},
		{"x = a // b // c", "x = math.floor((math.floor((a ) / ( b)) ) / ( c))"},
		{"x = y * a // b", "x = y * a // b"},
		{"x = -a // b", "x = math.floor((-a ) / ( b))"},
		{"x = c - a // b", "x = c - math.floor((a ) / ( b))"},
		{"x = -a ^ 2 // b", "x = -a ^ 2 // b"},
		{"x = a // b ^ 2", "x = a // b ^ 2"},
		{`s = "a // b" -- c // d`, `s = "a // b" -- c // d`},
		{"for i = 1, n do end", "for i = 1, tonumber(n) do end"},
		{"for i = f(1, 2), 3, -1 do end", "for i = tonumber(f(1, 2)), 3, tonumber(-1) do end"},
		{"for i = 0, 9999 do end", "for i = 0, 9999 do end"},
		{"for k, v in pairs(t) do end", "for k, v in pairs(t) do end"},
		{"--[[ for i = 1, n do ]] x = 1", "--[[ for i = 1, n do ]] x = 1"},
	} {
		if got := luaCompat(tc.in); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.in, got, tc.want)
		}
	}
}

// TestLuaCompat checks Lua 5.4 behaviours against rpm 4.18's results.
func TestLuaCompat(t *testing.T) {
	b := hermeticBase(t)
	for _, tc := range []struct{ in, want string }{
		{"%{lua: print(7 // 2, -7 // 2, 7 // (1 + 1))}", "3\t-4\t3"},
		{"%define n 3\n%{lua: for i = 1, rpm.expand('%n') do print(i) end}", "123"},
		{"%{lua: for i = '2', ' 3 ' do print(i) end}", "23"},
		{"%define m() %{lua: for i = 1, rpm.expand('%#') do print(rpm.expand('%' .. i)) end}\n%m a b", "ab"},
	} {
		got, err := expandWith(t, b, tc.in)
		if err != nil || strings.TrimLeft(got, "\n") != tc.want {
			t.Errorf("%q: got %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	if _, err := expandWith(t, b, "%{lua: for i = 1, 'x' do end}"); err == nil || !strings.Contains(err.Error(), "must be a number") {
		t.Errorf("non-numeric for limit: %v", err)
	}
}

func TestLuaFormatU(t *testing.T) {
	b := hermeticBase(t)
	got, err := expandWith(t, b, `%{lua: print(string.format("P%u %5u %%u %d", 1, 2, 3), ("%u"):format(4))}`)
	if want := "P1     2 %u 3\t4"; err != nil || got != want {
		t.Errorf("got %q, %v; want %q", got, err, want)
	}
}
