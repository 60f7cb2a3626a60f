package sourcesfile

import (
	"slices"
	"testing"
)

// FuzzParse feeds arbitrary sources files: no panic, and a parsed file
// written back parses to the same entries.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		"SHA512 (a.tar.gz) = 00ff\n",
		"d41d8cd98f00b204e9800998ecf8427e  legacy.tar.gz\n# comment\n\nSHA256 (b c) = ab\n",
		"SHA512 (x) = 00\nSHA512 (x) = 00\n",
		"garbage line\r\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Parse(data)
		if err != nil {
			return
		}
		again, err := Parse(file.Bytes())
		if err != nil {
			t.Fatalf("re-parsing the written file: %v", err)
		}
		a, b := file.Entries(), again.Entries()
		if len(a) != len(b) {
			t.Fatalf("%d entries became %d", len(a), len(b))
		}
		for i := range a {
			if a[i] != b[i] {
				t.Fatalf("entry %d: %+v became %+v", i, a[i], b[i])
			}
		}
		for _, e := range a {
			file.Set(e) // rewrite every entry in the canonical form
		}
		canonical, err := Parse(file.Bytes())
		if err != nil || !slices.Equal(canonical.Entries(), a) {
			t.Fatalf("canonical rewrite changed the entries: %v", err)
		}
	})
}
