package edit

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/azlforge/azldev/internal/config"
)

func TestAddComponents(t *testing.T) {
	dir := t.TempDir()
	root := filepath.Join(dir, "azldev.toml")
	const orig = "# keep me\n[components.curl]\nspec = { type = \"local\", path = \"curl.spec\" }"
	if err := os.WriteFile(root, []byte(orig), 0o640); err != nil {
		t.Fatal(err)
	}
	cfg := &config.Config{RootFile: root}
	cfg.Components = map[string]*config.ComponentConfig{"curl": {}}
	if err := AddComponents(cfg, []string{"wget", "libxml++"}); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(root)
	want := orig + "\n\n[components.wget]\n\n[components.\"libxml++\"]\n"
	if string(got) != want {
		t.Fatalf("got %q, want %q", got, want)
	}
	if st, _ := os.Stat(root); st.Mode().Perm() != 0o640 {
		t.Errorf("mode %v, want 0640", st.Mode().Perm())
	}
	for _, bad := range [][]string{{"curl"}, {"../x"}, {".hidden"}, {"ok", "a/b"}} {
		if err := AddComponents(cfg, bad); err == nil {
			t.Errorf("AddComponents(%q) succeeded", bad)
		}
	}
	if again, _ := os.ReadFile(root); string(again) != want {
		t.Errorf("a refused add changed the file: %q", strings.TrimPrefix(string(again), want))
	}
}
