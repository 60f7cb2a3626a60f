// Package cachedir locates azldev's cache root: $AZLDEV_CACHE_DIR when it is
// an absolute path, else the user cache directory's azldev folder.
package cachedir

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"syscall"
)

// Root returns the cache root and, when $AZLDEV_CACHE_DIR was set to a
// relative path (ignored, as XDG does, so the cache never depends on the
// working directory), a warning to show. It returns "" when no user cache
// directory can be found either.
func Root() (dir, warning string) {
	if d := os.Getenv("AZLDEV_CACHE_DIR"); d != "" {
		if filepath.IsAbs(d) {
			return filepath.Clean(d), ""
		}
		warning = fmt.Sprintf("ignoring AZLDEV_CACHE_DIR=%q: not an absolute path", d)
	}
	if d, err := os.UserCacheDir(); err == nil {
		return filepath.Join(d, "azldev"), warning
	}
	return "", warning
}

var (
	exeOnce     sync.Once
	exeIdentity string
)

// ExecutableIdentity identifies the running program by path, size,
// modification time, change time and inode ("" when unknown), so caches
// written by another build of azldev are not trusted.
func ExecutableIdentity() string {
	exeOnce.Do(func() {
		exe, err := os.Executable()
		if err != nil {
			return
		}
		fi, err := os.Stat(exe)
		if err != nil || !fi.Mode().IsRegular() {
			return
		}
		var ctime int64
		var ino, dev uint64
		if st, ok := fi.Sys().(*syscall.Stat_t); ok {
			ctime, ino, dev = st.Ctim.Nano(), st.Ino, uint64(st.Dev)
		}
		exeIdentity = fmt.Sprintf("%s\x00%d\x00%d\x00%d\x00%d\x00%d", exe, fi.Size(), fi.ModTime().UnixNano(), ctime, ino, dev)
	})
	return exeIdentity
}
