package spec

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/azlforge/azldev/internal/testutil"
)

// loadCorpus reads every *.spec file of the Azure Linux 4 corpus.
func loadCorpus(tb testing.TB) map[string][]byte {
	tb.Helper()

	corpusDir := testutil.SharedDir(tb, "corpus/azl4/specs")

	specs := map[string][]byte{}

	err := filepath.WalkDir(corpusDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".spec") {
			return err
		}

		data, err := os.ReadFile(path)
		specs[path] = data

		return err
	})
	if err != nil {
		tb.Fatal(err)
	}

	return specs
}

// normalizedText is what the reference writes back for data: each line
// (split at "\n", one trailing "\r" dropped) followed by "\n".
func normalizedText(data []byte) []byte {
	if len(data) == 0 {
		return nil
	}

	text := strings.TrimSuffix(string(data), "\n")

	var out bytes.Buffer
	for piece := range strings.SplitSeq(text, "\n") {
		out.WriteString(strings.TrimSuffix(piece, "\r"))
		out.WriteByte('\n')
	}

	return out.Bytes()
}

// TestCorpusRoundTrip checks every corpus spec survives Parse/Bytes byte for
// byte and that Normalize yields the reference's rewrite form.
func TestCorpusRoundTrip(t *testing.T) {
	specs := loadCorpus(t)
	if len(specs) < 7000 {
		t.Errorf("found %d corpus specs, want the full corpus", len(specs))
	}

	for path, data := range specs {
		s := Parse(data)
		if !bytes.Equal(s.Bytes(), data) {
			t.Errorf("%s: round trip differs", path)
		}

		s.Normalize()

		if !bytes.Equal(s.Bytes(), normalizedText(data)) {
			t.Errorf("%s: normalized form differs", path)
		}
	}
}

// BenchmarkCorpusRoundTrip parses and writes back the whole corpus per op.
func BenchmarkCorpusRoundTrip(b *testing.B) {
	specs := loadCorpus(b)

	total := 0
	for _, data := range specs {
		total += len(data)
	}

	b.SetBytes(int64(total))
	b.ResetTimer()

	for b.Loop() {
		for _, data := range specs {
			if len(Parse(data).Bytes()) != len(data) {
				b.Fatal("round trip changed the length")
			}
		}
	}
}
