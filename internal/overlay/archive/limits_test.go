package archive

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/azlforge/azldev/internal/foundation/compression"
)

// bomb is a gzip tar whose one file expands to size zero bytes.
func bomb(t *testing.T, files int, size int64) []byte {
	t.Helper()
	var buf bytes.Buffer
	gz, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	tw := tar.NewWriter(gz)
	zeros := make([]byte, 1<<16)
	for i := range files {
		if err := tw.WriteHeader(&tar.Header{Name: filepath.Join("d", string(rune('a'+i%26))+string(rune('a'+i/26))), Mode: 0o644, Size: size, Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		for left := size; left > 0; left -= int64(len(zeros)) {
			if _, err := tw.Write(zeros[:min(left, int64(len(zeros)))]); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := gz.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestExtractionLimits checks that archives expanding beyond the limits are
// refused, by declared size and by entry count, and within them accepted.
func TestExtractionLimits(t *testing.T) {
	lim := Limits{Bytes: 1 << 20, Entries: 10}
	for _, tc := range []struct {
		name  string
		files int
		size  int64
		ok    bool
	}{
		{"within limits", 4, 100 << 10, true},
		{"one file too large", 1, 2 << 20, false},
		{"many files too large together", 8, 200 << 10, false},
		{"too many entries", 11, 1, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := bomb(t, tc.files, tc.size)
			err := ExtractStreamLimited(bytes.NewReader(data), compression.Gzip, t.TempDir(), lim)
			switch {
			case tc.ok && err != nil:
				t.Fatalf("rejected: %v", err)
			case !tc.ok && !errors.Is(err, ErrTooLarge):
				t.Fatalf("want ErrTooLarge, got %v", err)
			}
		})
	}
}

// TestBombRatio documents the guard on a realistic bomb: 64 MiB of zeros
// compresses to about 64 KiB and is refused under a 16 MiB limit.
func TestBombRatio(t *testing.T) {
	data := bomb(t, 1, 64<<20)
	if len(data) > 1<<20 {
		t.Fatalf("bomb is %d bytes; expected high compression", len(data))
	}
	dest := t.TempDir()
	err := ExtractStreamLimited(bytes.NewReader(data), compression.Gzip, dest, Limits{Bytes: 16 << 20, Entries: 10})
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("want ErrTooLarge, got %v", err)
	}
	var written int64
	_ = filepath.Walk(dest, func(_ string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			written += info.Size()
		}
		return nil
	})
	if written != 0 {
		t.Fatalf("%d bytes written before the bomb was refused", written)
	}
}
