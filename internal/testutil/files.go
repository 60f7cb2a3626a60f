package testutil

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// WriteTree writes files (path relative to a new temporary directory →
// content) and returns the directory.
func WriteTree(tb testing.TB, files map[string]string) string {
	tb.Helper()
	dir := tb.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	return dir
}

// SharedDir returns ../shared beside the repository (the Azure Linux 4
// corpus, golden listings and conformance suite), skipping the test when it
// is absent — or failing it under CI, where ../shared must be present.
func SharedDir(tb testing.TB, rel string) string {
	tb.Helper()
	_, file, _, _ := runtime.Caller(0)
	p := filepath.Join(filepath.Dir(file), "..", "..", "..", "shared", rel)
	if _, err := os.Stat(p); err != nil {
		if os.Getenv("CI") != "" {
			tb.Fatalf("%s not available under CI: %v", rel, err)
		}
		tb.Skipf("%s not available: %v", rel, err)
	}
	return p
}

// CorpusDir is the Azure Linux 4 configuration tree.
func CorpusDir(tb testing.TB) string { return SharedDir(tb, "corpus/azl4") }
