package sourcesfile

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

const (
	sha512Hex = "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e"
	md5Hex    = "d41d8cd98f00b204e9800998ecf8427e"
)

func TestParseEntries(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []Entry
	}{
		{name: "empty", in: "", want: nil},
		{name: "only newline", in: "\n", want: nil},
		{
			name: "modern",
			in:   "SHA512 (foo-1.0.tar.gz) = " + sha512Hex + "\n",
			want: []Entry{{HashType: "SHA512", Filename: "foo-1.0.tar.gz", Hash: sha512Hex}},
		},
		{
			name: "modern upper-case hex is lowered",
			in:   "SHA256 (a.tar) = ABCDEF0123\n",
			want: []Entry{{HashType: "SHA256", Filename: "a.tar", Hash: "abcdef0123"}},
		},
		{
			name: "file name with spaces and parentheses",
			in:   "SHA512 (my file (1).tar) = abc\n",
			want: []Entry{{HashType: "SHA512", Filename: "my file (1).tar", Hash: "abc"}},
		},
		{
			name: "legacy is MD5",
			in:   md5Hex + "  foo.tar.gz\n",
			want: []Entry{{HashType: "MD5", Filename: "foo.tar.gz", Hash: md5Hex}},
		},
		{
			name: "legacy with tab and upper-case hex",
			in:   "D41D8CD9\tbar.zip\n",
			want: []Entry{{HashType: "MD5", Filename: "bar.zip", Hash: "d41d8cd9"}},
		},
		{
			name: "surrounding whitespace and CRLF are trimmed for parsing",
			in:   "  SHA512 (x) = 01  \r\n",
			want: []Entry{{HashType: "SHA512", Filename: "x", Hash: "01"}},
		},
		{
			name: "no final newline",
			in:   "SHA512 (a) = 01\n" + md5Hex + " b",
			want: []Entry{
				{HashType: "SHA512", Filename: "a", Hash: "01"},
				{HashType: "MD5", Filename: "b", Hash: md5Hex},
			},
		},
		{
			name: "blank and comment lines are not entries",
			in:   "# comment (x) = 00\n\n   \nSHA1 (c) = 0a\n  # indented comment\n",
			want: []Entry{{HashType: "SHA1", Filename: "c", Hash: "0a"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse([]byte(tt.in))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if got := f.Entries(); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Entries() = %#v, want %#v", got, tt.want)
			}
			for _, e := range tt.want {
				got, ok := f.Lookup(e.Filename)
				if !ok || got != e {
					t.Errorf("Lookup(%q) = %#v, %v; want %#v, true", e.Filename, got, ok, e)
				}
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string // substrings of the error
	}{
		{
			name: "duplicate modern",
			in:   "SHA512 (a) = 01\nSHA512 (a) = 02\n",
			want: []string{"sources line 2:", `"a"`, "listed twice"},
		},
		{
			name: "duplicate across forms",
			in:   "# c\n\nSHA512 (a) = 01\n" + md5Hex + " a\n",
			want: []string{"sources line 4:", `"a"`, "listed twice"},
		},
		{
			name: "lower-case hash type",
			in:   "SHA512 (a) = 01\nsha512 (b) = 02\n",
			want: []string{"sources line 2:", `"sha512 (b) = 02"`},
		},
		{
			name: "non-hex hash",
			in:   "SHA512 (a) = xyz\n",
			want: []string{"sources line 1:", "cannot parse"},
		},
		{
			name: "legacy with three fields",
			in:   "\n\n" + md5Hex + " a b\n",
			want: []string{"sources line 3:", "cannot parse"},
		},
		{
			name: "missing spaces around =",
			in:   "SHA512 (a)=01\n",
			want: []string{"sources line 1:"},
		},
		{
			name: "bare word",
			in:   "SHA512 (a) = 01\nfoo\n",
			want: []string{"sources line 2:", `"foo"`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse([]byte(tt.in))
			if err == nil {
				t.Fatalf("Parse succeeded (%d entries), want error", len(f.Entries()))
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestBytesRoundTrip(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{name: "empty", in: "", want: ""},
		{
			name: "verbatim lines",
			in:   "# header comment\n\n  SHA512 (a) = 01  \n" + md5Hex + "\tlegacy.tgz\n   \n#\n",
			want: "# header comment\n\n  SHA512 (a) = 01  \n" + md5Hex + "\tlegacy.tgz\n   \n#\n",
		},
		{name: "final newline added", in: "SHA512 (a) = 01", want: "SHA512 (a) = 01\n"},
		{name: "trailing blank lines kept", in: "SHA512 (a) = 01\n\n\n", want: "SHA512 (a) = 01\n\n\n"},
		{name: "upper-case hex kept verbatim", in: "SHA512 (a) = ABCD\n", want: "SHA512 (a) = ABCD\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse([]byte(tt.in))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if got := string(f.Bytes()); got != tt.want {
				t.Errorf("Bytes() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSet(t *testing.T) {
	const orig = "# lookaside files\n" +
		"SHA512 (a.tar.gz) = 01\n" +
		"\n" +
		md5Hex + "  b.tar.gz\n" +
		"# trailing comment\n"
	tests := []struct {
		name string
		set  []Entry
		want string
	}{
		{
			name: "no change",
			want: orig,
		},
		{
			name: "replace modern in place",
			set:  []Entry{{HashType: "SHA256", Filename: "a.tar.gz", Hash: "FF"}},
			want: "# lookaside files\n" +
				"SHA256 (a.tar.gz) = ff\n" +
				"\n" +
				md5Hex + "  b.tar.gz\n" +
				"# trailing comment\n",
		},
		{
			name: "replace legacy in place with modern form",
			set:  []Entry{{HashType: "SHA512", Filename: "b.tar.gz", Hash: sha512Hex}},
			want: "# lookaside files\n" +
				"SHA512 (a.tar.gz) = 01\n" +
				"\n" +
				"SHA512 (b.tar.gz) = " + sha512Hex + "\n" +
				"# trailing comment\n",
		},
		{
			name: "append new entries in call order",
			set: []Entry{
				{HashType: "SHA512", Filename: "z.tar", Hash: "0a"},
				{HashType: "SHA256", Filename: "c.tar", Hash: "0b"},
			},
			want: orig +
				"SHA512 (z.tar) = 0a\n" +
				"SHA256 (c.tar) = 0b\n",
		},
		{
			name: "append then replace the appended entry",
			set: []Entry{
				{HashType: "SHA512", Filename: "new", Hash: "01"},
				{HashType: "SHA512", Filename: "a.tar.gz", Hash: "02"},
				{HashType: "SHA512", Filename: "new", Hash: "03"},
			},
			want: "# lookaside files\n" +
				"SHA512 (a.tar.gz) = 02\n" +
				"\n" +
				md5Hex + "  b.tar.gz\n" +
				"# trailing comment\n" +
				"SHA512 (new) = 03\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse([]byte(orig))
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range tt.set {
				f.Set(e)
			}
			if got := string(f.Bytes()); got != tt.want {
				t.Errorf("Bytes() =\n%s\nwant\n%s", got, tt.want)
			}
			// The rewritten file parses back to the same entries.
			back, err := Parse(f.Bytes())
			if err != nil {
				t.Fatalf("re-parse: %v", err)
			}
			if !reflect.DeepEqual(back.Entries(), f.Entries()) {
				t.Errorf("re-parsed entries %#v, want %#v", back.Entries(), f.Entries())
			}
			for _, e := range tt.set {
				got, ok := f.Lookup(e.Filename)
				if !ok || got.Filename != e.Filename {
					t.Errorf("Lookup(%q) = %#v, %v", e.Filename, got, ok)
				}
			}
		})
	}
}

func TestSetOnEmptyFile(t *testing.T) {
	f, err := Parse(nil)
	if err != nil {
		t.Fatal(err)
	}
	f.Set(Entry{HashType: "SHA512", Filename: "x.tar.xz", Hash: "AbC"})
	if got, want := string(f.Bytes()), "SHA512 (x.tar.xz) = abc\n"; got != want {
		t.Errorf("Bytes() = %q, want %q", got, want)
	}
	if e, ok := f.Lookup("x.tar.xz"); !ok || e != (Entry{HashType: "SHA512", Filename: "x.tar.xz", Hash: "abc"}) {
		t.Errorf("Lookup = %#v, %v", e, ok)
	}
	if _, ok := f.Lookup("missing"); ok {
		t.Error("Lookup(missing) reported an entry")
	}
}

func TestHashFile(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty")
	abc := filepath.Join(dir, "abc")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(abc, []byte("abc"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path, hashType, want string
	}{
		{empty, "SHA512", sha512Hex},
		{empty, "sha512", sha512Hex},
		{empty, "MD5", md5Hex},
		{empty, "SHA1", "da39a3ee5e6b4b0d3255bfef95601890afd80709"},
		{empty, "SHA256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
		{abc, "SHA256", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
		{abc, "MD5", "900150983cd24fb0d6963f7d28e17f72"},
		{abc, "SHA512", "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.path)+"/"+tt.hashType, func(t *testing.T) {
			got, err := HashFile(tt.path, tt.hashType)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("HashFile = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestHashFileErrors(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f")
	if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := HashFile(p, "CRC32"); err == nil || !strings.Contains(err.Error(), `unsupported hash type "CRC32"`) {
		t.Errorf("unsupported type: err = %v", err)
	}
	if _, err := HashFile(filepath.Join(dir, "missing"), "SHA512"); !os.IsNotExist(err) {
		t.Errorf("missing file: err = %v, want not-exist", err)
	}
	if _, err := NewHash(""); err == nil {
		t.Error("NewHash(\"\") succeeded")
	}
}
