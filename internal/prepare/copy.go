package prepare

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"github.com/azlforge/azldev/internal/foundation/safepath"
)

// copyTree copies the directory src (which may be a symbolic link) into the
// existing directory dst, keeping file modes. A symbolic link that resolves
// inside root is copied as what it points to, so links between a project's
// files keep working in the output; a link leading outside root, or to
// nothing, is copied as a link and never followed.
func copyTree(root, src, dst string) error {
	realRoot, err := safepath.RealRoot(root)
	if err != nil {
		return err
	}
	real, err := safepath.Resolve(root, src)
	if err != nil {
		return fmt.Errorf("copying %s: %w", src, err)
	}
	return copyDir(realRoot, real, dst, []string{real})
}

// copyDir copies the directory src into dst (both src and root are real
// paths); chain holds the directories being copied, to stop at a link back
// into one of them.
func copyDir(root, src, dst string, chain []string) error {
	entries, err := os.ReadDir(src)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if err := copyEntry(root, filepath.Join(src, e.Name()), filepath.Join(dst, e.Name()), chain); err != nil {
			return err
		}
	}
	return nil
}

func copyEntry(root, path, target string, chain []string) error {
	info, err := os.Lstat(path)
	if err != nil {
		return err
	}
	if info.Mode()&fs.ModeSymlink != 0 {
		real, err := safepath.Resolve(root, path)
		if err == nil {
			info, err = os.Stat(real)
		}
		if errors.Is(err, safepath.ErrEscapesRoot) || errors.Is(err, fs.ErrNotExist) {
			return copyLink(path, target)
		}
		if err != nil {
			return fmt.Errorf("copying %s: %w", path, err)
		}
		path = real
	}
	switch {
	case info.IsDir():
		if slices.Contains(chain, path) {
			return fmt.Errorf("copying %s: a symbolic link loops back to %s", target, path)
		}
		if err := os.Mkdir(target, info.Mode().Perm()|0o700); err != nil {
			return err
		}
		return copyDir(root, path, target, append(chain, path))
	case info.Mode().IsRegular():
		return copyFile(path, target, info.Mode().Perm())
	}
	return fmt.Errorf("copying %s: unsupported file type %s", path, info.Mode().Type())
}

func copyLink(path, target string) error {
	link, err := os.Readlink(path)
	if err != nil {
		return err
	}
	return os.Symlink(link, target)
}

// copyFile copies one regular file with the given permissions.
func copyFile(src, dst string, perm fs.FileMode) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	return os.Chmod(dst, perm)
}
