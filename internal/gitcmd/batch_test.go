package gitcmd

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestSplitBatch(t *testing.T) {
	out := "aaa blob 5\nhello\nx missing\nbbb blob 0\n\nccc blob 3\na\nb\n"
	got, err := splitBatch([]byte(out), 4)
	if err != nil {
		t.Fatal(err)
	}
	if string(got[0]) != "hello" || got[1] != nil || got[2] == nil || len(got[2]) != 0 || string(got[3]) != "a\nb" {
		t.Errorf("got %q", got)
	}
	for _, bad := range []string{"aaa blob 5\nhel", "aaa blob\n", "x ambiguous\n", ""} {
		if _, err := splitBatch([]byte(bad), 1); err == nil {
			t.Errorf("accepted %q", bad)
		}
	}
}

func TestReadObjects(t *testing.T) {
	dir := t.TempDir()
	g := Git{Dir: dir, Env: append(Identity("T", "t@example.com", "@0 +0000"), "GIT_CONFIG_GLOBAL="+os.DevNull, "GIT_CONFIG_NOSYSTEM=1")}
	if _, err := g.Run("init", "-q"); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "f"), []byte("content\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := g.Run("add", "f"); err != nil {
		t.Fatal(err)
	}
	if _, err := g.Run("commit", "-q", "-m", "one"); err != nil {
		t.Fatal(err)
	}
	got, err := g.ReadObjects([]string{"HEAD:f", "HEAD:missing", "HEAD:f"})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got[0], []byte("content\n")) || got[1] != nil || !slices.Equal(got[2], got[0]) {
		t.Errorf("got %q", got)
	}
	if got, err := g.ReadObjects(nil); got != nil || err != nil {
		t.Errorf("no names: %q, %v", got, err)
	}
}
