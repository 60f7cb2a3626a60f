package lock

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Ext is the file name extension of lock files.
const Ext = ".lock"

// Path returns the lock file of a component: <lockDir>/<component>.lock.
func Path(lockDir, component string) string {
	return filepath.Join(lockDir, component+Ext)
}

// Read loads and parses a lock file. A missing file yields an error for which
// errors.Is(err, fs.ErrNotExist) holds (see IsNotExist); content problems are
// *ParseError values naming path.
func Read(path string) (*Lock, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseNamed(path, data)
}

// IsNotExist reports whether err means that the lock file does not exist.
func IsNotExist(err error) bool { return errors.Is(err, fs.ErrNotExist) }

// Write stores l at path atomically: the content goes to a temporary file in
// the same directory, which is synced and then renamed over path, so readers
// see either the old or the new lock, never a partial one. The directory is
// created when missing.
func Write(path string, l *Lock) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("creating lock directory: %w", err)
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("writing lock file %s: %w", path, err)
	}
	if err := fillAndClose(tmp, l.Marshal()); err != nil {
		_ = os.Remove(tmp.Name())
		return fmt.Errorf("writing lock file %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		_ = os.Remove(tmp.Name())
		return fmt.Errorf("writing lock file %s: %w", path, err)
	}
	return nil
}

// fillAndClose writes data to f with the usual file permissions, flushes it to
// disk and closes it.
func fillAndClose(f *os.File, data []byte) error {
	_, err := f.Write(data)
	if err == nil {
		err = f.Chmod(0o644)
	}
	if err == nil {
		err = f.Sync()
	}
	return errors.Join(err, f.Close())
}
