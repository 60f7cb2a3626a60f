// Package atomicfile replaces files atomically: readers see the old content
// or the new, never a partial file, and a failed write leaves nothing behind.
// Temporary files are scratch entries (.<name>.tmp-<pid>-<random>, held while
// written): the first write into a directory in a process sweeps the ones
// that killed writers left there.
package atomicfile

import (
	"bufio"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

	"github.com/azlforge/azldev/internal/foundation/scratch"
)

// tmpTag tags temporary files (see package scratch).
const tmpTag = ".tmp-"

// swept records the directories already swept by this process.
var swept sync.Map

// Write creates or replaces path with what fill writes. The content goes to a
// new temporary file in path's directory, which gets exactly perm, is synced
// and is then renamed over path. Whatever path was before (another file, a
// symlink pointing elsewhere) is replaced, never written through. When fill
// or any step fails, the temporary file is removed and path is untouched;
// fill's error is returned as it is.
func Write(path string, perm fs.FileMode, fill func(w io.Writer) error) (err error) {
	dir := filepath.Dir(path)
	if _, done := swept.LoadOrStore(dir, true); !done {
		_ = Sweep(dir) // best effort: a leftover only costs space
	}
	tmp, err := scratch.CreateTemp(dir, "."+filepath.Base(path), tmpTag)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.Remove(tmp.Name())
		}
		tmp.Close() // after Sync, closing cannot lose data
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
	return os.Rename(tmp.Name(), path) // still held, so never swept meanwhile
}

// Sweep removes the temporary files that killed writers left in dir.
func Sweep(dir string) error { return scratch.Sweep(dir, tmpTag) }

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
