package lookaside

import (
	"fmt"
	"hash"
	"io"

	"github.com/azlforge/azldev/internal/foundation/atomicfile"
)

// writeAtomic streams r into a new temporary file (mode 0600) in final's
// directory, then runs check with the byte count, verifies want when it is
// not nil, and only then renames the file to final. On any failure the
// temporary file is removed. Local file-system errors are permanent.
func writeAtomic(final string, r io.Reader, want *digest, check func(n int64) error) error {
	var fillErr error
	err := atomicfile.Write(final, 0o600, func(w io.Writer) error {
		fillErr = fill(w, r, want, check)
		return fillErr
	})
	if err != nil && fillErr == nil {
		return permanent(fmt.Errorf("writing %s: %w", final, err))
	}
	return err
}

// fill copies r to w, hashing it, and checks the size and digest.
func fill(w io.Writer, r io.Reader, want *digest, check func(n int64) error) error {
	var h hash.Hash
	if want != nil {
		h = want.newHash()
	}
	n, err := copyHashing(w, h, r)
	if err != nil {
		return err
	}
	if check != nil {
		if err := check(n); err != nil {
			return err
		}
	}
	if want != nil {
		return want.check(h)
	}
	return nil
}

// copyHashing copies r to dst, feeding h too when it is not nil. Write
// errors are marked permanent; read errors are returned as they are.
func copyHashing(dst io.Writer, h hash.Hash, r io.Reader) (int64, error) {
	fw := &errWriter{w: dst}
	var w io.Writer = fw
	if h != nil {
		w = io.MultiWriter(fw, h)
	}
	n, err := io.Copy(w, r)
	if fw.err != nil {
		return n, permanent(fmt.Errorf("writing: %w", fw.err))
	}
	return n, err
}

// errWriter remembers the first write error so that it can be told apart
// from read errors.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	n, err := e.w.Write(p)
	if err != nil && e.err == nil {
		e.err = err
	}
	return n, err
}
