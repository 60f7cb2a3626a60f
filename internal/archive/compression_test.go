package archive

import (
	"errors"
	"path/filepath"
	"testing"
)

func TestCompressionFromName(t *testing.T) {
	good := map[string]Compression{
		"a-1.0.tar.gz": Gzip, "A.TGZ": Gzip, "a.Tar.Xz": Xz, "a.txz": Xz,
		"a.tar.zst": Zstd, "a.TZST": Zstd, "a.tar": Plain, "x.y.TAR": Plain,
	}
	for name, want := range good {
		got, err := CompressionFromName(name)
		if err != nil || got != want {
			t.Errorf("CompressionFromName(%q) = %v, %v; want %v", name, got, err, want)
		}
		if err := CheckName(name); err != nil {
			t.Errorf("CheckName(%q) = %v", name, err)
		}
	}
	for _, name := range []string{"a.tar.bz2", "a.zip", "a.gz", "a.tar.gz.sig", "tar"} {
		if err := CheckName(name); !errors.Is(err, ErrUnsupportedName) {
			t.Errorf("CheckName(%q) = %v, want ErrUnsupportedName", name, err)
		}
	}
	for _, name := range []string{"", "sub/a.tar.gz", "..", "a\\b.tar"} {
		if err := CheckName(name); err == nil {
			t.Errorf("CheckName(%q) accepted an unsafe name", name)
		}
	}
}

func TestSniff(t *testing.T) {
	cases := []struct {
		head []byte
		want Compression
	}{
		{[]byte{0xFD, '7', 'z', 'X', 'Z', 0x00, 1}, Xz},
		{[]byte{0xFD, '7', 'z', 'X', 'Z'}, Plain},
		{[]byte{0x1F, 0x8B}, Gzip},
		{[]byte{0x1F}, Plain},
		{[]byte{0x28, 0xB5, 0x2F, 0xFD, 0}, Zstd},
		{[]byte("ustar"), Plain},
		{nil, Plain},
	}
	for _, c := range cases {
		if got := Sniff(c.head); got != c.want {
			t.Errorf("Sniff(% x) = %v, want %v", c.head, got, c.want)
		}
	}
}

func TestDetectCompression(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		name string
		data []byte
		want Compression
	}{
		// Content wins over the name...
		{"gz-named.tar", buildTar(t, Gzip, file("a", "x")), Gzip},
		{"xz-named.tar.gz", buildTar(t, Xz, file("a", "x")), Xz},
		{"zst-named.tgz", buildTar(t, Zstd, file("a", "x")), Zstd},
		{"plain-named.tar.xz", buildTar(t, Plain, file("a", "x")), Plain},
		// ...except for empty files.
		{"empty.tar.zst", nil, Zstd},
		{"empty.tgz", nil, Gzip},
		{"empty.tar", nil, Plain},
	}
	for _, c := range cases {
		p := filepath.Join(dir, c.name)
		writeFile(t, p, c.data, 0o644)
		got, err := DetectCompression(p)
		if err != nil || got != c.want {
			t.Errorf("DetectCompression(%s) = %v, %v; want %v", c.name, got, err, c.want)
		}
	}
	p := filepath.Join(dir, "empty.zip")
	writeFile(t, p, nil, 0o644)
	if _, err := DetectCompression(p); !errors.Is(err, ErrUnsupportedName) {
		t.Errorf("empty .zip: err = %v, want ErrUnsupportedName", err)
	}
	if _, err := DetectCompression(filepath.Join(dir, "missing.tar")); err == nil {
		t.Error("DetectCompression of a missing file succeeded")
	}
}

func TestCompressionString(t *testing.T) {
	for c, want := range map[Compression]string{Plain: "tar", Gzip: "gzip", Xz: "xz", Zstd: "zstd", 9: "Compression(9)"} {
		if got := c.String(); got != want {
			t.Errorf("%d.String() = %q, want %q", int(c), got, want)
		}
	}
}
