package macro

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestSandbox runs hostile code in a temporary working directory and checks
// that it fails (or expands to nothing with a warning) and leaves no file.
func TestSandbox(t *testing.T) {
	confDir, err := filepath.Abs("testdata/config")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	t.Chdir(dir)
	victim := filepath.Join(dir, "victim")
	b, err := Load(context.Background(), Config{ConfigDir: confDir,
		Limits: Limits{LuaTimeout: 200 * time.Millisecond, MaxOutput: 1 << 20}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, in, err string
	}{
		{"os.execute", `%{lua: os.execute("touch ` + victim + `")}`, "attempt to call a non-function"},
		{"io.open write", `%{lua: local f = io.open("` + victim + `", "w"); f:write("x")}`, "attempt to index a non-table"},
		{"io.popen", `%{lua: io.popen("touch ` + victim + `")}`, "attempt to call a non-function"},
		{"os.remove", `%{lua: os.remove("/etc/passwd")}`, "attempt to call a non-function"},
		{"loadfile outside", `%{lua: loadfile("/etc/passwd")}`, "outside the Lua module directory"},
		{"require outside", `%{lua: require("os")}`, "not found"},
		{"infinite loop", `%{lua: while true do end}`, "time limit"},
		{"string bomb", `%{lua: print(string.rep("x", 1e12))}`, "larger than"},
		{"macro bomb", "%define a0 xxxxxxxxxxxxxxxx\n" + bombChain(40) + "%a40", "output limit"},
		{"recursion", "%define r %{r}\n%r", "too many levels of recursion"},
		{"parametric recursion", "%define p() %{p}\n%p", "too many levels of recursion"},
		{"load outside", "%{load:/etc/passwd}", "outside the allowed directories"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := b.NewContext(Options{})
			defer c.Close()
			_, err := c.Expand(context.Background(), tc.in)
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("error %v, want one containing %q", err, tc.err)
			}
		})
	}
	for _, in := range []string{
		"%(touch " + victim + ")",
		"%(echo x > " + victim + ")",
		"%(echo x >> " + victim + ")",
		"%(cp /etc/hostname " + victim + ")",
		"%(sed -i s/a/b/ " + victim + ")",
		"%(" + "x=$(touch " + victim + "); echo $x)",
	} {
		c := b.NewContext(Options{})
		out, err := c.Expand(context.Background(), in)
		c.Close()
		if err != nil || out != "" || len(c.Warnings()) == 0 {
			t.Errorf("%q: got %q, %v, warnings %v; want empty output and a warning", in, out, err, c.Warnings())
		}
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Fatalf("sandboxed code created files: %v", ents)
	}
}

// bombChain defines a1..an, each doubling the previous one.
func bombChain(n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		b.WriteString("%define a" + itoa(i) + " %{a" + itoa(i-1) + "}%{a" + itoa(i-1) + "}\n")
	}
	return b.String()
}
