// Package fileoverlay implements the loose-file overlay operations
// (file-prepend-lines, file-search-replace, file-add, file-remove,
// file-rename and the file parts of patch-add and patch-remove) inside a root
// directory: a prepared sources directory or an archive's extraction root.
//
// Every path is confined to the root with package safepath; an operation that
// would read or write through a symbolic link leaving the root fails before
// anything is modified.
package fileoverlay

import (
	"errors"
	"fmt"
	"os"
	"path"
	"strings"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/azlforge/azldev/internal/foundation/safepath"
)

// ErrNoMatch reports a glob that matched no eligible file.
var ErrNoMatch = errors.New("no files matched")

// target is one glob match: its slash-separated path relative to the root,
// the path of the directory entry itself (a symlink is not followed) and the
// fully resolved path of the file it designates.
type target struct {
	rel      string
	entry    string
	resolved string
}

// Glob returns the files below root matching the doublestar pattern, as
// slash-separated paths relative to root in lexical order. Directories are
// never matched and symlinks are not traversed by wildcards; paths ending in
// ".spec" or lying inside a ".git" directory are excluded. A match that
// resolves outside root is an error.
func Glob(root, pattern string) ([]string, error) {
	targets, err := glob(root, pattern)
	if err != nil {
		return nil, err
	}
	var rels []string
	for _, t := range targets {
		rels = append(rels, t.rel)
	}
	return rels, nil
}

// globRequired is glob that fails with ErrNoMatch when nothing matched.
func globRequired(root, pattern string) ([]target, error) {
	targets, err := glob(root, pattern)
	if err != nil {
		return nil, err
	}
	if len(targets) == 0 {
		return nil, fmt.Errorf("%w pattern %q", ErrNoMatch, pattern)
	}
	return targets, nil
}

func glob(root, pattern string) ([]target, error) {
	if err := safepath.ValidateRelative(pattern); err != nil {
		return nil, fmt.Errorf("invalid file pattern %q: %w", pattern, err)
	}
	if !doublestar.ValidatePattern(pattern) {
		return nil, fmt.Errorf("invalid file pattern %q: %w", pattern, doublestar.ErrBadPattern)
	}
	matches, err := doublestar.Glob(os.DirFS(root), pattern,
		doublestar.WithFilesOnly(), doublestar.WithNoFollow(), doublestar.WithFailOnIOErrors())
	if err != nil {
		return nil, fmt.Errorf("matching pattern %q in %q: %w", pattern, root, err)
	}
	var targets []target
	for _, rel := range matches {
		if excluded(rel) {
			continue
		}
		t, err := confine(root, rel)
		if err != nil {
			return nil, fmt.Errorf("pattern %q: %w", pattern, err)
		}
		targets = append(targets, t)
	}
	return targets, nil
}

// excluded reports whether a match is never eligible: spec files and
// anything inside a .git directory.
func excluded(rel string) bool {
	if strings.HasSuffix(rel, ".spec") {
		return true
	}
	dirs := strings.Split(path.Dir(rel), "/")
	for _, d := range dirs {
		if d == ".git" {
			return true
		}
	}
	return false
}

func confine(root, rel string) (target, error) {
	entry, err := safepath.JoinNoFollow(root, rel)
	if err != nil {
		return target{}, err
	}
	resolved, err := safepath.Join(root, rel)
	if err != nil {
		return target{}, err
	}
	return target{rel: rel, entry: entry, resolved: resolved}, nil
}
