package cli

import (
	"os"
	"path/filepath"
	"testing"
)

// TestConfigDumpRoundTrip loads the real tree, dumps it as TOML, loads the
// dump as a project and checks that every component resolves the same.
func TestConfigDumpRoundTrip(t *testing.T) {
	root, err := filepath.Abs(corpusOrSkip(t))
	if err != nil {
		t.Fatal(err)
	}
	dump, stderr, code := run(t, "-C", root, "--no-default-config", "config", "dump")
	if code != 0 {
		t.Fatalf("dump: %s", stderr)
	}
	// The dump's paths are absolute (into the tree), so it is loaded as an
	// extra file of an otherwise empty project.
	dir, dumpFile := t.TempDir(), filepath.Join(t.TempDir(), "dump.toml")
	if err := os.WriteFile(filepath.Join(dir, "azldev.toml"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dumpFile, []byte(dump), 0o644); err != nil {
		t.Fatal(err)
	}
	want, stderr, code := run(t, "-C", root, "--no-default-config", "-O", "json", "component", "list", "-a")
	if code != 0 {
		t.Fatal(stderr)
	}
	got, stderr, code := run(t, "-C", dir, "--no-default-config", "--config-file", dumpFile, "-O", "json", "component", "list", "-a")
	if code != 0 {
		t.Fatalf("loading the dump: %s", stderr)
	}
	if got != want {
		t.Fatalf("components resolved from the dump differ (%d vs %d bytes)", len(got), len(want))
	}
}
