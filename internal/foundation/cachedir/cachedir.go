// Package cachedir locates azldev's cache root: $AZLDEV_CACHE_DIR when it is
// an absolute path, else the user cache directory's azldev folder.
package cachedir

import (
	"fmt"
	"os"
	"path/filepath"
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
