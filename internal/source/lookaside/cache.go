package lookaside

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// CachePath returns where the cache rooted at cacheDir keeps the object with
// the given hash: <cacheDir>/<hashtype>/<hash[:2]>/<hash>, lower case. The
// hash must be valid hex of the type's length.
func CachePath(cacheDir, hashType, hash string) (string, error) {
	want, err := parseDigest(hashType, hash)
	if err != nil {
		return "", err
	}
	if want == nil {
		return "", errors.New("no hash given")
	}
	return cachePath(cacheDir, want), nil
}

func cachePath(cacheDir string, want *digest) string {
	return filepath.Join(cacheDir, strings.ToLower(want.typ), want.hex[:2], want.hex)
}

// fromCache copies the cached object for want to dest, verifying it, and
// reports whether it did. A corrupt object is removed from the cache.
func (d *Downloader) fromCache(dest string, want *digest) bool {
	if d.CacheDir == "" {
		return false
	}
	p := cachePath(d.CacheDir, want)
	src, err := os.Open(p)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			d.logger().Warn("cannot read lookaside cache", "path", p, "error", err)
		}
		return false
	}
	defer src.Close()
	if d.DryRun {
		d.logger().Info("dry run: would copy from cache", "cache", p, "dest", dest)
		return true
	}
	err = writeAtomic(dest, src, want, nil)
	var mismatch *HashMismatchError
	switch {
	case errors.As(err, &mismatch):
		d.logger().Warn("removing corrupt lookaside cache object", "path", p, "error", err)
		os.Remove(p)
		return false
	case err != nil:
		d.logger().Warn("cannot use lookaside cache object", "path", p, "error", err)
		return false
	}
	d.logger().Debug("copied from lookaside cache", "cache", p, "dest", dest)
	return true
}

// toCache stores a copy of the verified file dest in the cache. Failures
// only cost a future download, so they are logged and otherwise ignored.
func (d *Downloader) toCache(dest string, want *digest) {
	if d.CacheDir == "" {
		return
	}
	p := cachePath(d.CacheDir, want)
	if err := d.storeCopy(dest, p, want); err != nil {
		d.logger().Warn("cannot store file in lookaside cache", "path", p, "error", err)
	}
}

func (d *Downloader) storeCopy(src, p string, want *digest) error {
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	f, err := os.Open(src)
	if err != nil {
		return err
	}
	defer f.Close()
	return writeAtomic(p, f, want, nil)
}
