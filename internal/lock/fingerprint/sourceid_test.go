package fingerprint

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"
)

func sha(s string) string {
	d := sha256.Sum256([]byte(s))
	return hex.EncodeToString(d[:])
}

func writeFiles(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestLocalSourceIdentity(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"pkg.spec":      "Name: pkg\n",
		"pkg.comp.toml": "",
		"a/b":           "nested\n",
		"a-c":           "dash\n",
		"a/d/e.patch":   "deep\n",
	})
	// Neither symlinks nor empty directories are listed.
	if err := os.Symlink("pkg.spec", filepath.Join(dir, "link.spec")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("a", filepath.Join(dir, "linkdir")); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "empty"), 0o755); err != nil {
		t.Fatal(err)
	}

	// Sorted by full path: '-' sorts before '/', so a-c precedes a/b.
	lines := "a-c=" + sha("dash\n") + "\n" +
		"a/b=" + sha("nested\n") + "\n" +
		"a/d/e.patch=" + sha("deep\n") + "\n" +
		"pkg.comp.toml=" + sha("") + "\n" +
		"pkg.spec=" + sha("Name: pkg\n") + "\n"
	want := "sha256:" + sha(lines)

	got, err := LocalSourceIdentity(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Fatalf("got %s, want %s", got, want)
	}

	// The spec directory may itself be reached through a symlink.
	link := filepath.Join(t.TempDir(), "specs")
	if err := os.Symlink(dir, link); err != nil {
		t.Fatal(err)
	}
	if got, err := LocalSourceIdentity(link); err != nil || got != want {
		t.Fatalf("through a symlink: %s, %v", got, err)
	}

	// Any content change counts.
	writeFiles(t, dir, map[string]string{"a/d/e.patch": "deeper\n"})
	if again, _ := LocalSourceIdentity(dir); again == want {
		t.Fatal("content change not detected")
	}
}

func TestLocalSourceIdentityEmptyAndErrors(t *testing.T) {
	got, err := LocalSourceIdentity(t.TempDir())
	if err != nil || got != "sha256:"+sha("") {
		t.Fatalf("empty dir: %s, %v", got, err)
	}
	if _, err := LocalSourceIdentity(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Fatal("missing dir: no error")
	}
	file := filepath.Join(t.TempDir(), "f")
	writeFiles(t, filepath.Dir(file), map[string]string{"f": "x"})
	if _, err := LocalSourceIdentity(file); err == nil {
		t.Fatal("file instead of dir: no error")
	}
}

func TestLocalSourceIdentityUnreadableFile(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root reads every file")
	}
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"x": "1"})
	if err := os.Chmod(filepath.Join(dir, "x"), 0); err != nil {
		t.Fatal(err)
	}
	if _, err := LocalSourceIdentity(dir); err == nil {
		t.Fatal("no error for an unreadable file")
	}
}
