package lockfile

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/azlforge/azldev/internal/testutil"
)

// TestConformanceLocksRoundTrip parses every recorded lock file and checks
// that marshaling reproduces it byte for byte.
func TestConformanceLocksRoundTrip(t *testing.T) {
	paths, _ := filepath.Glob(filepath.Join(testutil.SharedDir(t, "conformance/cases"), "*", "expected", "locks", "*.lock"))
	if len(paths) == 0 {
		t.Fatal("no recorded lock files in the conformance suite")
	}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		l, err := ParseNamed(p, data)
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		if got := l.Marshal(); !bytes.Equal(got, data) {
			t.Errorf("%s: re-marshaled differently:\n%s\nwant:\n%s", p, got, data)
		}
	}
	t.Logf("%d recorded lock files round-tripped", len(paths))
}
