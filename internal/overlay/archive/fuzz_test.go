package archive

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/azlforge/azldev/internal/foundation/safepath"
	"github.com/azlforge/azldev/internal/foundation/scratch"
)

// FuzzExtract feeds arbitrary bytes to Extract as an archive. Extraction may
// fail, but it must never panic, never touch anything outside the
// destination, and leave only regular files, directories and symlinks that
// resolve inside it.
func FuzzExtract(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		base := t.TempDir()
		dest := filepath.Join(base, "dest")
		archive := filepath.Join(base, "in.tar")
		sentinel := filepath.Join(base, "outside", "secret")
		writeFile(t, sentinel, []byte("secret"), 0o644)
		writeFile(t, archive, data, 0o644)
		if err := os.Mkdir(dest, 0o755); err != nil {
			t.Fatal(err)
		}
		defer scratch.RemoveAll(dest)

		_, _ = Extract(archive, dest)

		assertBaseUntouched(t, base, data)
		assertConfined(t, dest)
	})
}

func assertBaseUntouched(t *testing.T, base string, data []byte) {
	t.Helper()
	entries, err := os.ReadDir(base)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 3 {
		t.Fatalf("entries outside dest: %v", entries)
	}
	assertTree(t, filepath.Join(base, "outside"), map[string]string{".": "drwxr-xr-x", "secret": "-rw-r--r-- secret"})
	if got, err := os.ReadFile(filepath.Join(base, "in.tar")); err != nil || !bytes.Equal(got, data) {
		t.Fatalf("archive modified: %v", err)
	}
}

func assertConfined(t *testing.T, dest string) {
	t.Helper()
	err := filepath.WalkDir(dest, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dest, p)
		switch typ := d.Type(); {
		case typ == fs.ModeSymlink:
			if _, err := safepath.Join(dest, rel); err != nil {
				t.Errorf("symlink %s escapes: %v", rel, err)
			}
		case typ != 0 && typ != fs.ModeDir:
			t.Errorf("unexpected file type %v for %s", typ, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
