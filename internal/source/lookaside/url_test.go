package lookaside

import (
	"errors"
	"strings"
	"testing"
)

const fedoraTemplate = "https://src.fedoraproject.org/repo/pkgs/$pkg/$filename/$hashtype/$hash/$filename"

func TestURLExpands(t *testing.T) {
	tests := []struct {
		name                           string
		template, pkg, file, typ, hash string
		want                           string
	}{
		{
			name:     "fedora layout, hash type lowercased",
			template: fedoraTemplate, pkg: "zlib", file: "zlib-1.3.tar.xz", typ: "SHA512", hash: "abc123",
			want: "https://src.fedoraproject.org/repo/pkgs/zlib/zlib-1.3.tar.xz/sha512/abc123/zlib-1.3.tar.xz",
		},
		{
			name:     "values are path-escaped",
			template: fedoraTemplate, pkg: "c++lib", file: "a b#c?d%41/e;f", typ: "Sha256", hash: "00ff",
			want: "https://src.fedoraproject.org/repo/pkgs/c++lib/a%20b%23c%3Fd%2541%2Fe%3Bf/sha256/00ff/a%20b%23c%3Fd%2541%2Fe%3Bf",
		},
		{
			name:     "$hashtype is not mistaken for $hash",
			template: "http://h/$hash-$hashtype-$hash", pkg: "p", file: "f", typ: "MD5", hash: "h1",
			want: "http://h/h1-md5-h1",
		},
		{
			name:     "dollar signs that are not placeholders survive",
			template: "http://h/$pkg/$other", pkg: "p$x", file: "f", typ: "MD5", hash: "h",
			want: "http://h/p$x/$other",
		},
		{
			name:     "file URLs need no host",
			template: "file:///srv/lookaside/$pkg/$filename", pkg: "p", file: "f.tar", typ: "SHA512", hash: "h",
			want: "file:///srv/lookaside/p/f.tar",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := URL(tc.template, tc.pkg, tc.file, tc.typ, tc.hash)
			if err != nil {
				t.Fatalf("URL: %v", err)
			}
			if got != tc.want {
				t.Errorf("URL =\n  %s\nwant\n  %s", got, tc.want)
			}
		})
	}
}

func TestURLRejects(t *testing.T) {
	tests := []struct {
		name                           string
		template, pkg, file, typ, hash string
		wantMsg                        string
	}{
		{"placeholder in pkg", fedoraTemplate, "x$filename", "f", "SHA512", "h", `pkg "x$filename" contains the placeholder "$filename"`},
		{"placeholder in filename", fedoraTemplate, "p", "$hash.tar", "SHA512", "h", `filename "$hash.tar" contains the placeholder "$hash"`},
		{"placeholder in hash", fedoraTemplate, "p", "f", "SHA512", "$pkg", `hash "$pkg" contains the placeholder "$pkg"`},
		{"placeholder after lowercasing the hash type", fedoraTemplate, "p", "f", "$HASH", "h", `hashtype "$hash" contains the placeholder "$hash"`},
		{"empty pkg", fedoraTemplate, "", "f", "SHA512", "h", "empty pkg"},
		{"empty filename", fedoraTemplate, "p", "", "SHA512", "h", "empty filename"},
		{"empty hash type", fedoraTemplate, "p", "f", "", "h", "empty hashtype"},
		{"empty hash", fedoraTemplate, "p", "f", "SHA512", "", "empty hash"},
		{"empty template", " ", "p", "f", "SHA512", "h", "empty template"},
		{"relative result", "$pkg/$filename", "p", "f", "SHA512", "h", `expands to "p/f": not an absolute URL`},
		{"scheme-relative result", "//host/$pkg", "p", "f", "SHA512", "h", "not an absolute URL"},
		{"no host", "https:///$pkg", "p", "f", "SHA512", "h", "has no host"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := URL(tc.template, tc.pkg, tc.file, tc.typ, tc.hash)
			if err == nil {
				t.Fatalf("URL = %q, want error", got)
			}
			if !errors.Is(err, ErrBadTemplate) {
				t.Errorf("error %v does not wrap ErrBadTemplate", err)
			}
			if !strings.Contains(err.Error(), tc.wantMsg) {
				t.Errorf("error %q does not contain %q", err, tc.wantMsg)
			}
		})
	}
}
