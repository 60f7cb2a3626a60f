package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestComponentAdd(t *testing.T) {
	dir := writeProject(t, map[string]string{"azldev.toml": baseProject["azldev.toml"] + "# keep this comment\n"})
	root := filepath.Join(dir, "azldev.toml")
	before, _ := os.ReadFile(root)
	if _, stderr, code := run(t, "-C", dir, "component", "add", "curl", "libxml++"); code != 0 {
		t.Fatal(stderr)
	}
	after, _ := os.ReadFile(root)
	if !strings.HasPrefix(string(after), string(before)) || !strings.HasSuffix(string(after), "\n[components.curl]\n\n[components.\"libxml++\"]\n") {
		t.Fatalf("root file:\n%s", after)
	}
	out, stderr, code := run(t, "-C", dir, "-O", "csv", "component", "list", "-p", "libxml++")
	if code != 0 || !strings.Contains(out, "libxml++") {
		t.Fatalf("added component not listed (exit %d): %s%s", code, out, stderr)
	}
	for _, args := range [][]string{{"curl"}, {"a"}, {"../x"}, {".hidden"}} {
		if _, _, code := run(t, append([]string{"-C", dir, "component", "add"}, args...)...); code == 0 {
			t.Errorf("add %v succeeded", args)
		}
	}
	if again, _ := os.ReadFile(root); string(again) != string(after) {
		t.Error("a refused add changed the root file")
	}
}
