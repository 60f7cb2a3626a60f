package atomicfile

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/azlforge/azldev/internal/foundation/scratch"
)

func TestWriteReplacesWithExactMode(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f")
	if err := os.WriteFile(p, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := WriteBytes(p, []byte("new"), 0o644); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(p)
	st, _ := os.Stat(p)
	if string(got) != "new" || st.Mode().Perm() != 0o644 {
		t.Fatalf("content %q mode %v", got, st.Mode().Perm())
	}
	assertOnly(t, dir, "f")
}

func TestFailedWriteLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f")
	if err := os.WriteFile(p, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	err := Write(p, 0o644, func(w io.Writer) error {
		_, _ = w.Write([]byte("partial"))
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	if got, _ := os.ReadFile(p); string(got) != "old" {
		t.Fatalf("original changed: %q", got)
	}
	assertOnly(t, dir, "f")
}

// TestSymlinkReplacedNotFollowed checks that a symlink at path is replaced
// and its target (outside the directory) is left alone.
func TestSymlinkReplacedNotFollowed(t *testing.T) {
	dir, outside := t.TempDir(), t.TempDir()
	victim := filepath.Join(outside, "victim")
	if err := os.WriteFile(victim, []byte("keep"), 0o644); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "f")
	if err := os.Symlink(victim, p); err != nil {
		t.Fatal(err)
	}
	if err := WriteBytes(p, []byte("new"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(victim); string(got) != "keep" {
		t.Fatalf("wrote through the symlink: %q", got)
	}
	if st, _ := os.Lstat(p); st.Mode()&os.ModeSymlink != 0 {
		t.Fatal("path is still a symlink")
	}
}

func assertOnly(t *testing.T, dir string, names ...string) {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	if len(entries) != len(names) {
		t.Fatalf("directory holds %d entries, want %v", len(entries), names)
	}
}

func TestReplaceKeepsMode(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f")
	if err := os.WriteFile(p, []byte("old"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := Replace(p, []byte("new"), 0o644); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(p); st.Mode().Perm() != 0o755 {
		t.Fatalf("mode %v, want the file's own 0755", st.Mode().Perm())
	}
	q := filepath.Join(dir, "missing")
	if err := Replace(q, []byte("x"), 0o640); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(q); st.Mode().Perm() != 0o640 {
		t.Fatalf("mode %v, want the default 0640", st.Mode().Perm())
	}
}

// TestWriteSweepsKilledWriters: a temporary file left by a killed writer
// (finding 3: locks/.X.lock.tmp-*) is removed by the next write into its
// directory; a live writer's temporary file is not.
func TestWriteSweepsKilledWriters(t *testing.T) {
	dir := t.TempDir()
	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Fatal(err)
	}
	leftover := filepath.Join(dir, fmt.Sprintf(".gone.lock.tmp-%d-123", dead.Process.Pid))
	if err := os.WriteFile(leftover, []byte("half a lock"), 0o644); err != nil {
		t.Fatal(err)
	}
	live, err := scratch.CreateTemp(dir, ".busy.lock", tmpTag)
	if err != nil {
		t.Fatal(err)
	}
	defer live.Close()
	if err := WriteBytes(filepath.Join(dir, "x.lock"), []byte("new"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(leftover); !os.IsNotExist(err) {
		t.Errorf("leftover of a killed writer still there (err %v)", err)
	}
	assertOnly(t, dir, "x.lock", filepath.Base(live.Name()))
}
