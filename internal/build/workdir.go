package build

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"

	"github.com/azlforge/azldev/internal/foundation/safepath"
)

// workDir is a component's build directory, <work-dir>/<component>/build,
// holding the prepared sources (sources/) and the backend's files
// (backend/). Its path is the same for every build of the component, since
// rpmbuild records paths in the SRPM, so builds of one component take turns
// through a lock file beside it; it starts empty.
type workDir struct {
	path string
	lock *os.File
}

// openWorkDir locks and empties the work directory of comp under root.
func openWorkDir(root, comp string) (*workDir, error) {
	if err := safepath.CheckFileName(comp); err != nil {
		return nil, fmt.Errorf("component name: %w", err)
	}
	base := filepath.Join(root, comp)
	if err := os.MkdirAll(base, 0o755); err != nil {
		return nil, err
	}
	lockPath := filepath.Join(base, "build.lock")
	lock, err := os.OpenFile(lockPath, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		lock.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("another azldev process is building %s (it holds %s)", comp, lockPath)
		}
		return nil, fmt.Errorf("locking %s: %w", lockPath, err)
	}
	w := &workDir{path: filepath.Join(base, "build"), lock: lock}
	if err := os.RemoveAll(w.path); err != nil {
		w.close(true)
		return nil, fmt.Errorf("emptying the work directory: %w", err)
	}
	for _, d := range []string{w.sources(), w.backend()} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			w.close(false)
			return nil, err
		}
	}
	return w, nil
}

func (w *workDir) sources() string { return filepath.Join(w.path, "sources") }
func (w *workDir) backend() string { return filepath.Join(w.path, "backend") }

// close removes the directory unless keep, and releases the lock.
func (w *workDir) close(keep bool) {
	if !keep {
		os.RemoveAll(w.path)
	}
	w.lock.Close()
}

// logFile is a component's build log, <log-dir>/build/<component>.log.
type logFile struct {
	*os.File
	path string
}

// openLog creates (or truncates) the build log of comp under logDir.
func openLog(logDir, comp string) (*logFile, error) {
	path := filepath.Join(logDir, "build", comp+".log")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("creating the build log: %w", err)
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("creating the build log: %w", err)
	}
	return &logFile{File: f, path: path}, nil
}

// close closes the log and removes it unless keep; it reports whether the log was kept.
func (l *logFile) close(keep bool) bool {
	l.File.Close()
	if !keep {
		os.Remove(l.path)
	}
	return keep
}
