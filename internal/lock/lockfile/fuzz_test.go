package lockfile

import (
	"bytes"
	"testing"
)

// FuzzParse feeds arbitrary lock files: no panic, and every accepted lock
// marshals to a canonical form that parses back to the same value.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		Header + "\nversion = 1\ninput-fingerprint = 'sha256:00'\n",
		"version = 1\nimport-commit = 'abc'\nupstream-commit = 'def'\nmanual-bump = 3\n",
		"version = 2\n",
		"version = 1\nmanual-bump = -1\n",
		"version = 1\nupstream-commit = \"a'b\"\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := Parse(data)
		if err != nil {
			return
		}
		out := l.Marshal()
		back, err := Parse(out)
		if err != nil {
			t.Fatalf("marshaled lock does not parse: %v\n%s", err, out)
		}
		if *back != *l {
			t.Fatalf("round trip changed the lock: %+v → %+v", l, back)
		}
		if !bytes.Equal(back.Marshal(), out) {
			t.Fatal("marshaling is not canonical")
		}
	})
}
