// Package localrepo manages local RPM repositories: directories of RPMs with
// createrepo_c metadata that builds take packages from (--local-repo) and
// publish packages to (--local-repo-with-publish).
package localrepo

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Abs returns dir as an absolute, cleaned path with symbolic links resolved
// where it exists, so that two spellings of one directory compare equal.
func Abs(dir string) (string, error) {
	if strings.TrimSpace(dir) == "" {
		return "", errors.New("a local repository path must not be empty")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		return real, nil
	}
	return abs, nil
}

// Check verifies that dir is a repository builds can read: an existing
// directory with intact metadata (repodata/repomd.xml and every file it
// lists, checksums included).
func Check(dir string) error {
	if err := checkDir(dir); err != nil {
		return err
	}
	md, err := readRepomd(dir)
	if errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("local repository %s has no metadata (%s); create it with `createrepo_c %s`", dir, repomdPath, dir)
	}
	if err == nil {
		err = md.verify(dir)
	}
	return wrap(dir, err)
}

// CheckPublish verifies that dir can be published to: an existing, writable
// directory whose metadata, if it has any yet, is intact.
func CheckPublish(dir string) error {
	if err := checkDir(dir); err != nil {
		return err
	}
	if err := checkWritable(dir); err != nil {
		return err
	}
	md, err := readRepomd(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err == nil {
		err = md.verify(dir)
	}
	return wrap(dir, err)
}

// CheckOutside refuses a repository that is, lies inside or contains the
// output directory out: builds replace files there, and createrepo_c would
// index them.
func CheckOutside(dir, out string) error {
	if within(dir, out) || within(out, dir) {
		return fmt.Errorf("local repository %s overlaps the output directory %s; keep repositories outside it", dir, out)
	}
	return nil
}

// within reports whether path is dir or lies inside it.
func within(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, "../")
}

func checkDir(dir string) error {
	st, err := os.Stat(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return fmt.Errorf("local repository %s does not exist", dir)
	case err != nil:
		return fmt.Errorf("local repository %s: %w", dir, err)
	case !st.IsDir():
		return fmt.Errorf("local repository %s is not a directory", dir)
	}
	return nil
}

// checkWritable refuses a directory marked read-only (no write permission
// for anyone, which even root honours here) or that cannot be written to.
func checkWritable(dir string) error {
	st, err := os.Stat(dir)
	if err != nil {
		return err
	}
	if st.Mode().Perm()&0o222 == 0 {
		return fmt.Errorf("local repository %s is read-only (mode %s); packages cannot be published to it", dir, st.Mode().Perm())
	}
	probe, err := os.CreateTemp(dir, ".azldev-probe-")
	if err != nil {
		return fmt.Errorf("local repository %s is not writable: %w", dir, errors.Unwrap(err))
	}
	probe.Close()
	return os.Remove(probe.Name())
}

func wrap(dir string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, errCorrupt):
		return fmt.Errorf("local repository %s: %w; regenerate it with `createrepo_c %s`", dir, err, dir)
	}
	return fmt.Errorf("local repository %s: %w", dir, err)
}
