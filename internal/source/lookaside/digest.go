package lookaside

import (
	"encoding/hex"
	"fmt"
	"hash"
	"strings"

	"github.com/azlforge/azldev/internal/source/sourcesfile"
)

// digest is an expected hash: type in upper case, value in lower-case hex.
type digest struct {
	typ string
	hex string
}

// parseDigest validates a hash type and hex digest. An empty hash means "do
// not verify" and yields nil.
func parseDigest(hashType, value string) (*digest, error) {
	if value == "" {
		return nil, nil
	}
	h, err := sourcesfile.NewHash(hashType)
	if err != nil {
		return nil, err
	}
	d := &digest{typ: strings.ToUpper(hashType), hex: strings.ToLower(value)}
	raw, err := hex.DecodeString(d.hex)
	if err != nil || len(raw) != h.Size() {
		return nil, fmt.Errorf("invalid %s hash %q: want %d hex digits", d.typ, value, 2*h.Size())
	}
	return d, nil
}

func (d *digest) newHash() hash.Hash {
	h, _ := sourcesfile.NewHash(d.typ) // validated by parseDigest
	return h
}

// check compares a computed hash with the expected digest.
func (d *digest) check(h hash.Hash) error {
	got := hex.EncodeToString(h.Sum(nil))
	if got != d.hex {
		return &HashMismatchError{Type: d.typ, Expected: d.hex, Got: got}
	}
	return nil
}
