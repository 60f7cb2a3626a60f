//go:build !linux

package outdir

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// identity names the file system object at path (not following a final
// symlink): device and inode.
func identity(path string) (string, error) {
	info, err := os.Lstat(path)
	if err != nil {
		return "", err
	}
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return "", fmt.Errorf("%s: no device and inode numbers", path)
	}
	return fmt.Sprintf("dev=%d ino=%d", uint64(st.Dev), uint64(st.Ino)), nil
}

// exchange is not available: swap falls back to two renames.
func exchange(a, b string) error { return errors.ErrUnsupported }
