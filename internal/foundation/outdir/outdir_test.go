package outdir

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func read(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func entries(t *testing.T, dir string) []string {
	t.Helper()
	list, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range list {
		names = append(names, e.Name())
	}
	return names
}

// produce stages out with one file f holding content and commits it.
func produce(t *testing.T, out, content string, force bool) {
	t.Helper()
	s, err := Stage(out, force)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	write(t, filepath.Join(s.Dir, "f"), content)
	if err := s.Commit(); err != nil {
		t.Fatal(err)
	}
}

func TestCheck(t *testing.T) {
	root := t.TempDir()
	empty := filepath.Join(root, "empty")
	full := filepath.Join(root, "full")
	file := filepath.Join(root, "file")
	link := filepath.Join(root, "link")
	if err := os.Mkdir(empty, 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(full, "precious"), "x")
	write(t, file, "x")
	if err := os.Symlink(empty, link); err != nil {
		t.Fatal(err)
	}
	for _, force := range []bool{false, true} {
		for _, ok := range []string{filepath.Join(root, "missing"), empty} {
			if err := Check(ok, force); err != nil {
				t.Errorf("Check(%s, %v) = %v", ok, force, err)
			}
		}
		for _, bad := range []string{file, link} {
			if err := Check(bad, force); err == nil || !strings.Contains(err.Error(), bad) {
				t.Errorf("Check(%s, %v) = %v, want an error naming it", bad, force, err)
			}
		}
	}
	if err := Check(full, false); !errors.Is(err, ErrNotEmpty) {
		t.Errorf("Check(full, false) = %v", err)
	}
	err := Check(full, true)
	if !errors.Is(err, ErrNotOwned) || !strings.Contains(err.Error(), full) || !strings.Contains(err.Error(), Marker(full)) {
		t.Errorf("Check(full, true) = %v, want a refusal naming the path and the marker", err)
	}
}

// TestProduceAndReplace: the output gets exactly the staged tree, the marker
// lies beside it, and --force replaces an owned output, leaving nothing else.
func TestProduceAndReplace(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "out")
	produce(t, out, "one", false)
	if got := entries(t, out); !slices.Equal(got, []string{"f"}) {
		t.Fatalf("output holds %v", got)
	}
	if owned, err := Owned(out); !owned || err != nil {
		t.Fatalf("Owned = %v, %v", owned, err)
	}
	if err := Check(out, false); !errors.Is(err, ErrNotEmpty) {
		t.Fatalf("without force: %v", err)
	}
	produce(t, out, "two", true)
	if got := read(t, filepath.Join(out, "f")); got != "two" {
		t.Fatalf("f = %q", got)
	}
	if got := entries(t, root); !slices.Equal(got, []string{".out.azldev-owned", "out"}) {
		t.Fatalf("beside the output: %v", got)
	}
	if owned, _ := Owned(out); !owned {
		t.Fatal("the replaced output is not owned")
	}
	if info, _ := os.Stat(out); info.Mode().Perm() != 0o755 {
		t.Errorf("mode %v", info.Mode().Perm())
	}
}

// TestMarkerNamesTheDirectory: a directory made at an owned output's path
// after it was deleted is not owned (the marker records the old identity).
func TestMarkerNamesTheDirectory(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	produce(t, out, "one", false)
	oldID, _ := identity(out)
	if err := os.RemoveAll(out); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(out, "precious"), "mine")
	if newID, _ := identity(out); newID == oldID {
		t.Skip("the file system reused the inode and keeps no birth time")
	}
	if err := Check(out, true); !errors.Is(err, ErrNotOwned) {
		t.Fatalf("Check = %v, want ErrNotOwned", err)
	}
}

// TestCommitChecksAgain: an output that appeared while staging is not replaced.
func TestCommitChecksAgain(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	s, err := Stage(out, true)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	write(t, filepath.Join(out, "precious"), "mine")
	if err := s.Commit(); !errors.Is(err, ErrNotOwned) {
		t.Fatalf("Commit = %v", err)
	}
	if got := read(t, filepath.Join(out, "precious")); got != "mine" {
		t.Fatalf("precious = %q", got)
	}
}

// TestSwapAside: the fallback swap replaces the tree and leaves no trash;
// when the new tree cannot be renamed in, the old one is put back whole.
func TestSwapAside(t *testing.T) {
	root := t.TempDir()
	out, staging := filepath.Join(root, "out"), filepath.Join(root, "new")
	write(t, filepath.Join(out, "f"), "old")
	write(t, filepath.Join(staging, "f"), "new")
	if err := swapAside(staging, out); err != nil {
		t.Fatal(err)
	}
	if got := read(t, filepath.Join(out, "f")); got != "new" {
		t.Fatalf("f = %q", got)
	}
	if got := entries(t, root); !slices.Equal(got, []string{"out"}) {
		t.Fatalf("left: %v", got)
	}
	if err := swapAside(filepath.Join(root, "missing"), out); err == nil {
		t.Fatal("swapAside from a missing staging directory succeeded")
	}
	if got := read(t, filepath.Join(out, "f")); got != "new" {
		t.Fatalf("after a failed swap f = %q", got)
	}
	if got := entries(t, root); !slices.Equal(got, []string{"out"}) {
		t.Fatalf("after a failed swap: %v", got)
	}
}

// TestStageSweepsKilledRuns: staging and trash directories of a dead process
// are removed; those of live runs stay.
func TestStageSweepsKilledRuns(t *testing.T) {
	root := t.TempDir()
	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Fatal(err)
	}
	pid := dead.Process.Pid
	for _, n := range []string{fmt.Sprintf(".out.azldev-staging-%d-1", pid), fmt.Sprintf(".out.azldev-trash-%d-2", pid), fmt.Sprintf(".other.azldev-staging-%d-3", pid)} {
		write(t, filepath.Join(root, n, "sub", "f"), "x")
	}
	live, err := Stage(filepath.Join(root, "other"), false)
	if err != nil {
		t.Fatal(err)
	}
	defer live.Close()
	s, err := Stage(filepath.Join(root, "out"), false)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	want := []string{filepath.Base(live.Dir), filepath.Base(s.Dir)}
	slices.Sort(want)
	if got := entries(t, root); !slices.Equal(got, want) {
		t.Fatalf("left %v, want %v", got, want)
	}
}
