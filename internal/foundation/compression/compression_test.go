package compression

import (
	"errors"
	"testing"
)

func TestCompressionFromName(t *testing.T) {
	good := map[string]Kind{
		"a-1.0.tar.gz": Gzip, "A.TGZ": Gzip, "a.Tar.Xz": Xz, "a.txz": Xz,
		"a.tar.zst": Zstd, "a.TZST": Zstd, "a.tar": Plain, "x.y.TAR": Plain,
	}
	for name, want := range good {
		got, err := FromName(name)
		if err != nil || got != want {
			t.Errorf("FromName(%q) = %v, %v; want %v", name, got, err, want)
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
		want Kind
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

func TestCompressionString(t *testing.T) {
	for c, want := range map[Kind]string{Plain: "tar", Gzip: "gzip", Xz: "xz", Zstd: "zstd", 9: "Kind(9)"} {
		if got := c.String(); got != want {
			t.Errorf("%d.String() = %q, want %q", int(c), got, want)
		}
	}
}
