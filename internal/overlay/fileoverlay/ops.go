package fileoverlay

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/azlforge/azldev/internal/foundation/safepath"
)

// Errors reported by the operations (wrapped with the offending pattern or path).
var (
	// ErrNotApplied reports a search-replace that changed no matched file.
	ErrNotApplied = errors.New("did not apply to any targets")
	// ErrExists reports a destination that already exists.
	ErrExists = errors.New("destination already exists")
	// ErrSpecDestination reports a file-add destination ending in ".spec".
	ErrSpecDestination = errors.New("spec files cannot be added by a file overlay")
	// ErrMultipleMatches reports a rename pattern matching more than one file.
	ErrMultipleMatches = errors.New("pattern matched more than one file")
	// ErrNotRegular reports a content edit of something that is not a regular file.
	ErrNotRegular = errors.New("not a regular file")
)

// FilePrependLines inserts lines, each terminated by "\n", at the start of
// every file matching pattern. File permissions are kept.
func FilePrependLines(root, pattern string, lines []string) error {
	prefix := []byte(strings.Join(lines, "\n") + "\n")
	return editFiles(root, pattern, func(content []byte) []byte {
		return append(append([]byte{}, prefix...), content...)
	})
}

// FileSearchReplace replaces every match of the RE2 expression regex in the
// whole content of each file matching pattern with the literal replacement
// ("$1" is not expanded). It fails with ErrNotApplied unless at least one
// file changed.
func FileSearchReplace(root, pattern, regex, replacement string) error {
	re, err := regexp.Compile(regex)
	if err != nil {
		return fmt.Errorf("invalid regex %q: %w", regex, err)
	}
	repl := []byte(replacement)
	err = editFiles(root, pattern, func(content []byte) []byte {
		return re.ReplaceAllLiteral(content, repl)
	})
	if errors.Is(err, ErrNotApplied) {
		return fmt.Errorf("regex %q on files %q: %w", regex, pattern, err)
	}
	return err
}

// FileAdd copies the file at source to dest, a path relative to root. The
// destination must not exist, its parent directory must (it is not created),
// and ".spec" destinations are rejected.
func FileAdd(root, dest, source string) error {
	if strings.HasSuffix(dest, ".spec") {
		return fmt.Errorf("file-add destination %q: %w", dest, ErrSpecDestination)
	}
	return copyNew(root, dest, source)
}

// FileRemove deletes every file matching pattern; directories are kept, and
// a matched symlink is removed itself, not its target.
func FileRemove(root, pattern string) error {
	targets, err := globRequired(root, pattern)
	if err != nil {
		return err
	}
	for _, t := range targets {
		if err := os.Remove(t.entry); err != nil {
			return fmt.Errorf("removing %q: %w", t.rel, err)
		}
	}
	return nil
}

// FileRename renames the single file matching pattern to newName (a bare file
// name) within the same directory.
func FileRename(root, pattern, newName string) error {
	if err := safepath.CheckFileName(newName); err != nil {
		return fmt.Errorf("rename of %q: %w", pattern, err)
	}
	targets, err := globRequired(root, pattern)
	if err != nil {
		return err
	}
	if len(targets) > 1 {
		return fmt.Errorf("rename of %q: %w (%d files)", pattern, ErrMultipleMatches, len(targets))
	}
	from := targets[0].entry
	if err := os.Rename(from, filepath.Join(filepath.Dir(from), newName)); err != nil {
		return fmt.Errorf("renaming %q to %q: %w", targets[0].rel, newName, err)
	}
	return nil
}

// PatchAdd copies the patch file at source to dest relative to root (the
// base name of source when dest is empty); the destination must not exist.
func PatchAdd(root, dest, source string) error {
	if dest == "" {
		dest = filepath.Base(source)
	}
	return copyNew(root, dest, source)
}

// PatchRemove deletes the files matching pattern, failing when none match.
func PatchRemove(root, pattern string) error {
	return FileRemove(root, pattern)
}

// editFiles rewrites every file matching pattern with edit. All new contents
// are computed before the first write, so a failure modifies nothing. It
// returns ErrNotApplied when no file content changed.
func editFiles(root, pattern string, edit func([]byte) []byte) error {
	targets, err := globRequired(root, pattern)
	if err != nil {
		return err
	}
	type change struct {
		t       target
		content []byte
	}
	var changes []change
	for _, t := range targets {
		old, err := readRegular(t)
		if err != nil {
			return err
		}
		if updated := edit(old); !bytes.Equal(updated, old) {
			changes = append(changes, change{t, updated})
		}
	}
	if len(changes) == 0 {
		return ErrNotApplied
	}
	for _, c := range changes {
		if err := overwrite(c.t.resolved, c.content); err != nil {
			return fmt.Errorf("writing %q: %w", c.t.rel, err)
		}
	}
	return nil
}

func readRegular(t target) ([]byte, error) {
	info, err := os.Stat(t.resolved)
	if err != nil {
		return nil, fmt.Errorf("reading %q: %w", t.rel, err)
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("reading %q: %w", t.rel, ErrNotRegular)
	}
	content, err := os.ReadFile(t.resolved)
	if err != nil {
		return nil, fmt.Errorf("reading %q: %w", t.rel, err)
	}
	return content, nil
}

// overwrite replaces the content of an existing file in place, keeping its
// permissions and ownership.
func overwrite(p string, content []byte) error {
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_TRUNC, 0)
	if err != nil {
		return err
	}
	if _, err := f.Write(content); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// copyNew copies source to the not yet existing dest below root, keeping the
// source's permission bits. The parent of dest must already exist.
func copyNew(root, dest, source string) error {
	if err := safepath.ValidateRelative(dest); err != nil {
		return fmt.Errorf("destination %q: %w", dest, err)
	}
	name := filepath.Base(filepath.Clean(dest))
	if err := safepath.CheckFileName(name); err != nil {
		return fmt.Errorf("destination %q: %w", dest, err)
	}
	parent, err := safepath.Join(root, filepath.Dir(filepath.Clean(dest)))
	if err != nil {
		return fmt.Errorf("destination %q: %w", dest, err)
	}
	if info, err := os.Stat(parent); err != nil || !info.IsDir() {
		return fmt.Errorf("destination %q: parent directory does not exist", dest)
	}
	in, err := os.Open(source)
	if err != nil {
		return fmt.Errorf("opening source %q: %w", source, err)
	}
	defer in.Close()
	info, err := in.Stat()
	if err != nil {
		return fmt.Errorf("opening source %q: %w", source, err)
	}
	if !info.Mode().IsRegular() {
		return fmt.Errorf("source %q: %w", source, ErrNotRegular)
	}
	return writeExclusive(filepath.Join(parent, name), dest, in, info.Mode().Perm())
}

// writeExclusive creates p (never following or replacing an existing entry,
// dangling symlinks included) and fills it from r with mode perm.
func writeExclusive(p, dest string, r io.Reader, perm os.FileMode) error {
	out, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if errors.Is(err, os.ErrExist) {
		return fmt.Errorf("destination %q: %w", dest, ErrExists)
	}
	if err != nil {
		return fmt.Errorf("creating %q: %w", dest, err)
	}
	_, err = io.Copy(out, r)
	if err == nil {
		err = out.Chmod(perm)
	}
	if closeErr := out.Close(); err == nil {
		err = closeErr
	}
	if err != nil {
		os.Remove(p)
		return fmt.Errorf("writing %q: %w", dest, err)
	}
	return nil
}
