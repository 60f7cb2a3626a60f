package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestUpdateDryRunWritesNothing checks that -n reports changes without writing locks.
func TestUpdateDryRunWritesNothing(t *testing.T) {
	dir := writeProject(t, nil)
	out, stderr, code := run(t, "-C", dir, "-n", "-O", "csv", "component", "update", "-a")
	if code != 0 || !strings.Contains(out, "a,true") {
		t.Fatalf("exit %d: %s%s", code, out, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "locks")); err == nil {
		t.Fatal("dry run wrote lock files")
	}
	if _, stderr, code := run(t, "-C", dir, "component", "update", "-a"); code != 0 {
		t.Fatal(stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "locks", "a.lock")); err != nil {
		t.Fatal("a real run wrote no lock:", err)
	}
}
