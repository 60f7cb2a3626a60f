package lockfile

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/azlforge/azldev/internal/foundation/atomicfile"
	"github.com/azlforge/azldev/internal/foundation/parallel"
)

// Ext is the file name extension of lock files.
const Ext = ".lock"

// Path returns the lock file of a component: <lockDir>/<component>.lock.
func Path(lockDir, component string) string {
	return filepath.Join(lockDir, component+Ext)
}

// Read loads and parses a lock file. A missing file yields an error for which
// errors.Is(err, fs.ErrNotExist) holds (see IsNotExist); content problems are
// *ParseError values naming path.
func Read(path string) (*Lock, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseNamed(path, data)
}

// IsNotExist reports whether err means that the lock file does not exist.
func IsNotExist(err error) bool { return errors.Is(err, fs.ErrNotExist) }

// Write stores l at path atomically: the content goes to a temporary file in
// the same directory, which is synced and then renamed over path, so readers
// see either the old or the new lock, never a partial one. The directory is
// created when missing.
func Write(path string, l *Lock) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("creating lock directory: %w", err)
	}
	if err := atomicfile.WriteBytes(path, l.Marshal(), 0o644); err != nil {
		return fmt.Errorf("writing lock file %s: %w", path, err)
	}
	return nil
}

// Orphans returns the components named by lock files in dir (names not
// starting with a dot) that are not among known, sorted. A missing dir has none.
func Orphans(dir string, known []string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	names := make(map[string]bool, len(known))
	for _, n := range known {
		names[n] = true
	}
	var orphans []string
	for _, e := range entries { // sorted by name
		name := e.Name()
		comp, ok := strings.CutSuffix(name, Ext)
		if ok && !e.IsDir() && !strings.HasPrefix(name, ".") && !names[comp] {
			orphans = append(orphans, comp)
		}
	}
	return orphans, nil
}

// ReadAll reads the lock files of the named components in dir, eight at a
// time; a component without a readable lock gets nil.
func ReadAll(ctx context.Context, dir string, names []string) ([]*Lock, error) {
	if _, err := os.Stat(dir); err != nil {
		return make([]*Lock, len(names)), nil
	}
	return parallel.Map(ctx, names, parallel.Options{Limit: 8}, func(_ context.Context, _ int, n string) (*Lock, error) {
		if l, err := Read(Path(dir, n)); err == nil {
			return l, nil
		}
		return nil, nil
	})
}
