// Package outdir replaces output directories without destroying anything
// else. A directory is replaced only when it is empty or carries the
// ownership marker written when it was produced; the new tree is built in a
// staging directory beside it and swapped in by renames, so the output path
// holds the whole old tree or the whole new one at every instant (with
// renameat2's exchange; where that is missing, the old tree waits whole
// under a trash name for the instant between two renames).
//
// The marker lives beside the directory, not in it, so the output tree is
// exactly what was produced: .<name>.azldev-owned records the directory's
// identity (device, inode and, where the file system keeps one, birth time),
// so a directory made later at the same path by someone else is not owned.
//
// Staging and trash directories are scratch entries (package scratch):
// Stage sweeps those that killed runs left beside the output.
package outdir

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/azlforge/azldev/internal/foundation/atomicfile"
	"github.com/azlforge/azldev/internal/foundation/scratch"
)

const (
	stagingTag   = ".azldev-staging-"
	trashTag     = ".azldev-trash-"
	markerSuffix = ".azldev-owned"
	markerHeader = "# azldev wrote the directory with this identity; delete this file to protect it from --force\n"
)

// Reasons Check refuses a directory; its errors wrap one of them.
var (
	ErrNotEmpty = errors.New("not empty")
	ErrNotOwned = errors.New("not written by azldev")
)

// Marker returns the path of dir's ownership marker.
func Marker(dir string) string {
	return filepath.Join(filepath.Dir(dir), "."+filepath.Base(dir)+markerSuffix)
}

// Check reports whether dir may be replaced: it is missing or an empty
// directory, or force is set and it is a directory this package produced.
// Errors name the path and say why not.
func Check(dir string, force bool) error {
	info, err := os.Lstat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("output directory %s: %w", dir, err)
	case info.Mode()&fs.ModeSymlink != 0:
		return fmt.Errorf("output directory %s is a symbolic link; give the directory it points to", dir)
	case !info.IsDir():
		return fmt.Errorf("output directory %s exists and is not a directory", dir)
	}
	empty, err := isEmpty(dir)
	switch {
	case err != nil:
		return fmt.Errorf("output directory %s: %w", dir, err)
	case empty:
		return nil
	case !force:
		return fmt.Errorf("output directory %s is %w", dir, ErrNotEmpty)
	}
	owned, err := Owned(dir)
	if err != nil {
		return fmt.Errorf("output directory %s: %w", dir, err)
	}
	if !owned {
		return fmt.Errorf("refusing to replace %s: it is not empty and was %w (it has no ownership marker %s); remove it yourself or choose another output directory",
			dir, ErrNotOwned, Marker(dir))
	}
	return nil
}

// Owned reports whether dir is the directory its marker records.
func Owned(dir string) (bool, error) {
	data, err := os.ReadFile(Marker(dir))
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	id, err := identity(dir)
	if err != nil {
		return false, err
	}
	return slices.Contains(strings.Split(string(data), "\n"), id), nil
}

// Staging is a new tree being built beside the output directory it replaces.
type Staging struct {
	Dir     string // build the new tree here
	out     string
	force   bool
	release func()
}

// Stage checks that out may be replaced (see Check), sweeps the staging and
// trash directories killed runs left beside it, and creates a new staging
// directory there.
func Stage(out string, force bool) (*Staging, error) {
	if err := Check(out, force); err != nil {
		return nil, err
	}
	parent := filepath.Dir(out)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, err
	}
	for _, tag := range []string{stagingTag, trashTag} {
		_ = scratch.Sweep(parent, tag) // best effort: a leftover only costs space
	}
	dir, release, err := scratch.MkdirTemp(parent, "."+filepath.Base(out), stagingTag)
	if err != nil {
		return nil, err
	}
	return &Staging{Dir: dir, out: out, force: force, release: release}, nil
}

// Commit puts the staging tree in place of the output directory (checked
// again, as it may have changed meanwhile) and marks it owned. The marker
// names both trees while they are swapped.
func (s *Staging) Commit() error {
	if err := Check(s.out, s.force); err != nil {
		return err
	}
	if err := os.Chmod(s.Dir, 0o755); err != nil {
		return err
	}
	newID, err := identity(s.Dir)
	if err != nil {
		return err
	}
	oldID, err := identity(s.out)
	if errors.Is(err, fs.ErrNotExist) {
		if err := mark(s.out, newID); err != nil {
			return err
		}
		return os.Rename(s.Dir, s.out)
	}
	if err != nil {
		return err
	}
	if err := mark(s.out, oldID, newID); err != nil {
		return err
	}
	if err := swap(s.Dir, s.out); err != nil {
		return err
	}
	return mark(s.out, newID)
}

// Close removes what is left at the staging path: the unused new tree, or
// the old one after an exchange.
func (s *Staging) Close() error {
	defer s.release()
	return os.RemoveAll(s.Dir)
}

// mark records ids as the owned identities of dir.
func mark(dir string, ids ...string) error {
	return atomicfile.WriteBytes(Marker(dir), []byte(markerHeader+strings.Join(ids, "\n")+"\n"), 0o644)
}

// swap exchanges staging and out atomically, or failing that uses swapAside.
func swap(staging, out string) error {
	if exchange(staging, out) == nil {
		return nil
	}
	return swapAside(staging, out)
}

// swapAside moves out aside to a trash name, renames staging in and removes
// the trash; when staging cannot be renamed in, out is put back.
func swapAside(staging, out string) error {
	release, err := scratch.Lock(out) // keeps the trash from sweeps until it is removed
	if err != nil {
		return err
	}
	defer release()
	trash := filepath.Join(filepath.Dir(out), scratch.Name("."+filepath.Base(out), trashTag))
	if err := os.Rename(out, trash); err != nil {
		return err
	}
	if err := os.Rename(staging, out); err != nil {
		return errors.Join(err, os.Rename(trash, out))
	}
	return os.RemoveAll(trash)
}

// isEmpty reports whether the directory dir has no entries.
func isEmpty(dir string) (bool, error) {
	f, err := os.Open(dir)
	if err != nil {
		return false, err
	}
	defer f.Close()
	names, err := f.Readdirnames(1)
	if errors.Is(err, io.EOF) {
		return true, nil
	}
	return len(names) == 0, err
}
