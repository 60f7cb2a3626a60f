// Package safepath confines configuration-provided paths to a root directory.
//
// Every helper treats the root as trusted and everything below it as
// untrusted: symbolic links inside the root are resolved component by
// component and the result must still lie inside the (resolved) root.
package safepath

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// Sentinel errors; every returned error wraps one of them.
var (
	// ErrEmpty reports an empty path or file name.
	ErrEmpty = errors.New("empty path")
	// ErrAbsolute reports an absolute path where a relative one is required.
	ErrAbsolute = errors.New("path is absolute")
	// ErrEscapesRoot reports a path that leaves its root, lexically or through a symlink.
	ErrEscapesRoot = errors.New("path escapes root")
	// ErrBadFileName reports a file name that is not a single, plain path component.
	ErrBadFileName = errors.New("not a plain file name")
	// ErrSymlinkLoop reports too many symbolic links while resolving a path.
	ErrSymlinkLoop = errors.New("too many levels of symbolic links")
)

// maxSymlinks bounds symlink expansion, like the kernel's ELOOP limit.
const maxSymlinks = 40

// ValidateRelative checks that rel is non-empty, relative and does not climb
// above its base directory once cleaned.
func ValidateRelative(rel string) error {
	switch {
	case rel == "":
		return ErrEmpty
	case filepath.IsAbs(rel):
		return fmt.Errorf("%w: %q", ErrAbsolute, rel)
	case escapesLexically(filepath.Clean(rel)):
		return fmt.Errorf("%w: %q climbs above its base directory", ErrEscapesRoot, rel)
	}
	return nil
}

// CheckFileName checks that name is a single non-empty path component other
// than "." and "..", without separators or NUL bytes.
func CheckFileName(name string) error {
	switch {
	case name == "":
		return fmt.Errorf("%w: empty file name", ErrBadFileName)
	case name == "." || name == "..":
		return fmt.Errorf("%w: %q", ErrBadFileName, name)
	case strings.ContainsAny(name, "/\\\x00"):
		return fmt.Errorf("%w: %q contains a path separator or NUL byte", ErrBadFileName, name)
	}
	return nil
}

// Join validates rel, joins it under root and resolves every existing
// component, including the last one, following symbolic links. It returns the
// resolved absolute path, or an error when the result lies outside root.
// Components that do not exist yet are appended lexically.
func Join(root, rel string) (string, error) {
	return join(root, rel, true)
}

// Resolve is Join for an absolute path p that lies lexically inside root.
func Resolve(root, p string) (string, error) {
	rel, err := filepath.Rel(root, p)
	if err != nil {
		return "", err
	}
	return Join(root, rel)
}

// JoinNoFollow is like Join but does not follow the final component when it
// is a symbolic link: the returned path names the link itself, inside a
// resolved parent directory that lies inside root. Use it to remove, rename
// or create directory entries.
func JoinNoFollow(root, rel string) (string, error) {
	return join(root, rel, false)
}

// Within reports whether the absolute, clean path p equals dir or lies below it.
func Within(dir, p string) bool {
	if p == dir {
		return true
	}
	prefix := dir
	if !strings.HasSuffix(prefix, string(filepath.Separator)) {
		prefix += string(filepath.Separator)
	}
	return strings.HasPrefix(p, prefix)
}

// RealRoot returns the absolute path of root with all symbolic links resolved.
func RealRoot(root string) (string, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return "", fmt.Errorf("resolving root %q: %w", root, err)
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return "", fmt.Errorf("resolving root %q: %w", root, err)
	}
	return real, nil
}

// Real returns p made absolute, with the symbolic links of its longest
// existing prefix resolved; the missing rest is appended as written.
func Real(p string) (string, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	rest := ""
	for cur := abs; ; {
		real, err := filepath.EvalSymlinks(cur)
		if err == nil {
			return filepath.Join(real, rest), nil
		}
		parent := filepath.Dir(cur)
		if !errors.Is(err, os.ErrNotExist) || parent == cur {
			return "", fmt.Errorf("resolving %q: %w", p, err)
		}
		rest = filepath.Join(filepath.Base(cur), rest)
		cur = parent
	}
}

func join(root, rel string, followLast bool) (string, error) {
	if err := ValidateRelative(rel); err != nil {
		return "", fmt.Errorf("path %q under root %q: %w", rel, root, err)
	}
	realRoot, err := RealRoot(root)
	if err != nil {
		return "", err
	}
	resolved, err := resolve(realRoot, rel, followLast)
	if err != nil {
		return "", fmt.Errorf("path %q under root %q: %w", rel, root, err)
	}
	if !Within(realRoot, resolved) {
		return "", fmt.Errorf("%w: %q resolves to %q, outside root %q", ErrEscapesRoot, rel, resolved, root)
	}
	return resolved, nil
}

// resolve walks rel below realRoot one component at a time, substituting
// symbolic links with their targets (absolute targets restart from "/").
// A component that does not exist ends nothing: later components are still
// examined, so a ".." after a missing name is handled lexically.
func resolve(realRoot, rel string, followLast bool) (string, error) {
	cur := realRoot
	pending := splitPath(rel)
	links := 0
	for len(pending) > 0 {
		name := pending[0]
		pending = pending[1:]
		switch name {
		case ".":
			continue
		case "..":
			cur = filepath.Dir(cur)
			continue
		}
		next := filepath.Join(cur, name)
		if len(pending) == 0 && !followLast {
			return next, nil
		}
		target, isLink, err := readLink(next)
		if err != nil {
			return "", err
		}
		if !isLink {
			cur = next
			continue
		}
		links++
		if links > maxSymlinks {
			return "", fmt.Errorf("%w at %q", ErrSymlinkLoop, next)
		}
		if filepath.IsAbs(target) {
			cur = string(filepath.Separator)
		}
		pending = append(splitPath(target), pending...)
	}
	return cur, nil
}

// readLink reports whether p is a symbolic link and its target. Missing
// paths (or paths below a non-directory) are reported as plain names.
func readLink(p string) (string, bool, error) {
	info, err := os.Lstat(p)
	if errors.Is(err, os.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	if info.Mode()&os.ModeSymlink == 0 {
		return "", false, nil
	}
	target, err := os.Readlink(p)
	if err != nil {
		return "", false, err
	}
	return target, true, nil
}

func splitPath(p string) []string {
	var parts []string
	for _, part := range strings.Split(filepath.ToSlash(p), "/") {
		if part != "" {
			parts = append(parts, part)
		}
	}
	return parts
}

func escapesLexically(clean string) bool {
	return clean == ".." || strings.HasPrefix(clean, ".."+string(filepath.Separator))
}
