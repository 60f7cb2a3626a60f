package advanced

import (
	"path/filepath"
	"testing"
)

func TestWgetDest(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct{ url, output, want string }{
		{"https://e.org/a/pkg-1.0.tar.gz?x=1", "", "pkg-1.0.tar.gz"},
		{"https://e.org/a/b.tgz", "out.tgz", "out.tgz"},
		{"https://e.org/a/b.tgz", dir, filepath.Join(dir, "b.tgz")},
		{"https://e.org/", "", ""},
		{"https://e.org", "", ""},
	} {
		got, err := wgetDest(tc.url, tc.output)
		if got != tc.want || (err != nil) != (tc.want == "") {
			t.Errorf("%s -o %q: %q, %v", tc.url, tc.output, got, err)
		}
	}
}
