package archive

import (
	"errors"
	"path/filepath"
	"testing"

	"github.com/azlforge/azldev/internal/foundation/compression"
)

// TestDetectCompression checks detection against archives this package writes.
func TestDetectCompression(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		name string
		data []byte
		want compression.Kind
	}{
		// Content wins over the name...
		{"gz-named.tar", buildTar(t, compression.Gzip, file("a", "x")), compression.Gzip},
		{"xz-named.tar.gz", buildTar(t, compression.Xz, file("a", "x")), compression.Xz},
		{"zst-named.tgz", buildTar(t, compression.Zstd, file("a", "x")), compression.Zstd},
		{"plain-named.tar.xz", buildTar(t, compression.Plain, file("a", "x")), compression.Plain},
		// ...except for empty files.
		{"empty.tar.zst", nil, compression.Zstd},
		{"empty.tgz", nil, compression.Gzip},
		{"empty.tar", nil, compression.Plain},
	}
	for _, c := range cases {
		p := filepath.Join(dir, c.name)
		writeFile(t, p, c.data, 0o644)
		got, err := compression.Detect(p)
		if err != nil || got != c.want {
			t.Errorf("Detect(%s) = %v, %v; want %v", c.name, got, err, c.want)
		}
	}
	p := filepath.Join(dir, "empty.zip")
	writeFile(t, p, nil, 0o644)
	if _, err := compression.Detect(p); !errors.Is(err, compression.ErrUnsupportedName) {
		t.Errorf("empty .zip: err = %v, want compression.ErrUnsupportedName", err)
	}
	if _, err := compression.Detect(filepath.Join(dir, "missing.tar")); err == nil {
		t.Error("Detect of a missing file succeeded")
	}
}
