// Package atomicfile replaces files atomically: readers see the old content
// or the new, never a partial file, and a failed write leaves nothing behind.
package atomicfile

import (
	"bufio"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// Write creates or replaces path with what fill writes. The content goes to a
// new temporary file in path's directory, which gets exactly perm, is synced
// and is then renamed over path. Whatever path was before (another file, a
// symlink pointing elsewhere) is replaced, never written through. When fill
// or any step fails, the temporary file is removed and path is untouched;
// fill's error is returned as it is.
func Write(path string, perm fs.FileMode, fill func(w io.Writer) error) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	bw := bufio.NewWriterSize(tmp, 64<<10)
	if err = fill(bw); err != nil {
		return err
	}
	if err = bw.Flush(); err != nil {
		return err
	}
	if err = tmp.Chmod(perm); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// WriteBytes is Write with fixed content.
func WriteBytes(path string, data []byte, perm fs.FileMode) error {
	return Write(path, perm, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// Replace is WriteBytes that keeps the mode of the regular file at path;
// when path is missing or not a regular file (a symlink, say), the result
// gets def.
func Replace(path string, data []byte, def fs.FileMode) error {
	perm := def
	if st, err := os.Lstat(path); err == nil && st.Mode().IsRegular() {
		perm = st.Mode().Perm()
	}
	return WriteBytes(path, data, perm)
}
