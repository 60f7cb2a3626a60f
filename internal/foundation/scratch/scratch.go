// Package scratch names, holds and sweeps the temporary files and
// directories written beside real data (staging trees, temporary files,
// clones), so that leftovers of killed runs can be removed safely later.
//
// A scratch entry is named <lead><tag><pid>-<random>: the tag says what kind
// it is (it starts with a dot, e.g. ".tmp-"), the PID which process made it,
// and the lead is empty or a dot-name (".x.lock"). While it exists, its
// process holds an exclusive flock on it; the kernel drops that lock when the
// process dies, however it dies, and whatever becomes of its PID.
//
// Sweep removes an entry only when its name has that shape, it is a plain
// file or directory (never a symlink), nobody holds its lock, and its creator
// is gone: the PID is not running, or it is running but the entry has not
// changed for a minute (the PID was reused; the minute covers the instant
// between an entry's creation and its locking).
package scratch

import (
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"syscall"
	"time"
)

// grace is how long an unlocked entry of a running PID is left alone.
const grace = time.Minute

// Name returns a new entry name (for a rename target); lock the entry with
// Lock before it gets that name.
func Name(lead, tag string) string {
	return fmt.Sprintf("%s%s%d-%d", lead, tag, os.Getpid(), rand.Uint32())
}

// CreateTemp creates a new scratch file in dir and holds it until it is closed.
func CreateTemp(dir, lead, tag string) (*os.File, error) {
	f, err := os.CreateTemp(dir, pattern(lead, tag))
	if err != nil {
		return nil, err
	}
	if err := flock(f); err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, err
	}
	return f, nil
}

// MkdirTemp creates a new scratch directory in dir and holds it until
// release is called (remove it first).
func MkdirTemp(dir, lead, tag string) (path string, release func(), err error) {
	path, err = os.MkdirTemp(dir, pattern(lead, tag))
	if err != nil {
		return "", nil, err
	}
	if release, err = Lock(path); err != nil {
		os.Remove(path)
		return "", nil, err
	}
	return path, release, nil
}

// Lock holds the file or directory at path (see the package comment); it
// fails when another open file holds it.
func Lock(path string) (release func(), err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	if err := flock(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { f.Close() }, nil
}

// Sweep removes the stale entries of dir tagged tag (see the package
// comment). A missing dir has none.
func Sweep(dir, tag string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	re := namePattern(tag)
	var errs []error
	for _, e := range entries {
		m := re.FindStringSubmatch(e.Name())
		if m == nil {
			continue
		}
		pid, err := strconv.Atoi(m[1])
		if err != nil || pid <= 0 {
			continue
		}
		errs = append(errs, sweepOne(filepath.Join(dir, e.Name()), pid))
	}
	return errors.Join(errs...)
}

// sweepOne removes path when it is stale.
func sweepOne(path string, pid int) error {
	info, err := os.Lstat(path)
	if err != nil || info.Mode()&fs.ModeSymlink != 0 {
		return nil
	}
	if running(pid) && time.Since(info.ModTime()) < grace {
		return nil
	}
	release, err := Lock(path)
	if err != nil {
		return nil // held: its process is alive
	}
	defer release()
	return RemoveAll(path)
}

// RemoveAll removes path like os.RemoveAll, also when it holds read-only
// directories (as extracted archives may).
func RemoveAll(path string) error {
	_ = filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			_ = os.Chmod(p, 0o700)
		}
		return nil
	})
	return os.RemoveAll(path)
}

func pattern(lead, tag string) string {
	return lead + tag + strconv.Itoa(os.Getpid()) + "-*"
}

func namePattern(tag string) *regexp.Regexp {
	return regexp.MustCompile(`^(?:\..*)?` + regexp.QuoteMeta(tag) + `([0-9]+)-[0-9]+$`)
}

// running reports whether a process with this PID exists (possibly another user's).
func running(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// flock takes f's exclusive lock without waiting.
func flock(f *os.File) error {
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		return fmt.Errorf("locking %s: %w", f.Name(), err)
	}
	return nil
}
