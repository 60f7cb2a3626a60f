package scratch

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// deadPID returns the PID of a process that has exited.
func deadPID(t *testing.T) int {
	t.Helper()
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	return cmd.Process.Pid
}

func names(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

func mkdirWithFile(t *testing.T, p string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Join(p, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(p, "sub", "f"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestSweepRemovesEntriesOfDeadProcesses(t *testing.T) {
	dir := t.TempDir()
	pid := deadPID(t)
	file := fmt.Sprintf(".x.lock.tmp-%d-42", pid)
	if err := os.WriteFile(filepath.Join(dir, file), []byte("partial"), 0o644); err != nil {
		t.Fatal(err)
	}
	mkdirWithFile(t, filepath.Join(dir, fmt.Sprintf(".clone-%d-7", pid)))
	for _, tag := range []string{".tmp-", ".clone-"} {
		if err := Sweep(dir, tag); err != nil {
			t.Fatal(err)
		}
	}
	if got := names(t, dir); len(got) != 0 {
		t.Fatalf("left: %v", got)
	}
}

// TestSweepKeepsHeldEntries: a held entry survives even when its name's PID
// looks dead (another PID namespace) or it is old.
func TestSweepKeepsHeldEntries(t *testing.T) {
	dir := t.TempDir()
	f, err := CreateTemp(dir, ".x.lock", ".tmp-")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d, release, err := MkdirTemp(dir, ".out", ".azldev-staging-")
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	foreign := filepath.Join(dir, fmt.Sprintf(".clone-%d-1", deadPID(t)))
	mkdirWithFile(t, foreign)
	releaseForeign, err := Lock(foreign)
	if err != nil {
		t.Fatal(err)
	}
	defer releaseForeign()
	old := time.Now().Add(-time.Hour)
	for _, p := range []string{f.Name(), d, foreign} {
		if err := os.Chtimes(p, old, old); err != nil {
			t.Fatal(err)
		}
	}
	for _, tag := range []string{".tmp-", ".azldev-staging-", ".clone-"} {
		if err := Sweep(dir, tag); err != nil {
			t.Fatal(err)
		}
	}
	if got := names(t, dir); len(got) != 3 {
		t.Fatalf("held entries were swept; left: %v", got)
	}
	if !strings.Contains(filepath.Base(d), fmt.Sprintf(".out.azldev-staging-%d-", os.Getpid())) {
		t.Errorf("name %s does not embed the PID", d)
	}
}

// TestSweepReusedPID: an unlocked entry whose PID runs (here: this test's)
// is swept once it has not changed for the grace period, not before.
func TestSweepReusedPID(t *testing.T) {
	dir := t.TempDir()
	fresh := filepath.Join(dir, fmt.Sprintf(".a.tmp-%d-1", os.Getpid()))
	stale := filepath.Join(dir, fmt.Sprintf(".b.tmp-%d-2", os.Getpid()))
	for _, p := range []string{fresh, stale} {
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().Add(-2 * grace)
	if err := os.Chtimes(stale, old, old); err != nil {
		t.Fatal(err)
	}
	if err := Sweep(dir, ".tmp-"); err != nil {
		t.Fatal(err)
	}
	if got := names(t, dir); !slices.Equal(got, []string{filepath.Base(fresh)}) {
		t.Fatalf("left %v, want only the fresh entry", got)
	}
}

// TestSweepIgnoresForeignNames: only names of the exact shape are touched,
// and a symlink with such a name is left alone (its target too).
func TestSweepIgnoresForeignNames(t *testing.T) {
	dir, outside := t.TempDir(), t.TempDir()
	pid := deadPID(t)
	mkdirWithFile(t, filepath.Join(outside, "victim"))
	keep := []string{
		fmt.Sprintf("x.tmp-%d-1", pid),    // lead without a dot
		fmt.Sprintf(".x.tmp-%d-1a", pid),  // not digits
		fmt.Sprintf(".x.tmp-%d", pid),     // no random part
		".x.tmp-0-1",                      // PID 0
		fmt.Sprintf(".x.other-%d-1", pid), // another tag
	}
	for _, n := range keep {
		if err := os.WriteFile(filepath.Join(dir, n), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	link := fmt.Sprintf(".y.tmp-%d-3", pid)
	if err := os.Symlink(filepath.Join(outside, "victim"), filepath.Join(dir, link)); err != nil {
		t.Fatal(err)
	}
	if err := Sweep(dir, ".tmp-"); err != nil {
		t.Fatal(err)
	}
	if got := names(t, dir); len(got) != len(keep)+1 {
		t.Fatalf("left %v", got)
	}
	if _, err := os.Stat(filepath.Join(outside, "victim", "sub", "f")); err != nil {
		t.Fatalf("symlink target touched: %v", err)
	}
}

func TestSweepMissingDir(t *testing.T) {
	if err := Sweep(filepath.Join(t.TempDir(), "nope"), ".tmp-"); err != nil {
		t.Fatal(err)
	}
}
