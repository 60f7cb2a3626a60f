package lookaside

import (
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
)

// tempPattern names in-progress files; they are hidden and removed on failure.
const tempPattern = ".azldev-download-*.part"

// writeAtomic streams r into a new temporary file (mode 0600) in final's
// directory, then runs check with the byte count, verifies want when it is
// not nil, and only then renames the file to final. On any failure the
// temporary file is removed. Local file-system errors are permanent.
func writeAtomic(final string, r io.Reader, want *digest, check func(n int64) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(final), tempPattern)
	if err != nil {
		return permanent(fmt.Errorf("creating temporary file for %s: %w", final, err))
	}
	done := false
	defer func() {
		if !done {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	var h hash.Hash
	if want != nil {
		h = want.newHash()
	}
	n, err := copyHashing(tmp, h, r)
	if err != nil {
		return err
	}
	if check != nil {
		if err := check(n); err != nil {
			return err
		}
	}
	if want != nil {
		if err := want.check(h); err != nil {
			return err
		}
	}
	if err := commit(tmp, final); err != nil {
		return permanent(err)
	}
	done = true
	return nil
}

// commit flushes and closes tmp, then renames it to final.
func commit(tmp *os.File, final string) error {
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("writing %s: %w", final, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", final, err)
	}
	if err := os.Rename(tmp.Name(), final); err != nil {
		return fmt.Errorf("placing %s: %w", final, err)
	}
	return nil
}

// copyHashing copies r to f, feeding h too when it is not nil. Write
// errors are marked permanent; read errors are returned as they are.
func copyHashing(f *os.File, h hash.Hash, r io.Reader) (int64, error) {
	fw := &errWriter{w: f}
	var w io.Writer = fw
	if h != nil {
		w = io.MultiWriter(fw, h)
	}
	n, err := io.Copy(w, r)
	if fw.err != nil {
		return n, permanent(fmt.Errorf("writing %s: %w", f.Name(), fw.err))
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
