package archive

import (
	"archive/tar"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/azlforge/azldev/internal/foundation/compression"
	"github.com/azlforge/azldev/internal/foundation/safepath"
)

// ErrUnsafeEntry reports an archive entry that may not be extracted: a path
// or symlink target leaving the destination, or an entry type other than
// regular file, directory or symlink.
var ErrUnsafeEntry = errors.New("unsafe archive entry")

// implicitDirMode is the mode of parent directories that have no entry of
// their own in the archive.
const implicitDirMode fs.FileMode = 0o755

// ErrTooLarge reports an archive that expands beyond the extraction limits
// (a compression bomb, or an archive far larger than any source tarball).
var ErrTooLarge = errors.New("archive exceeds the extraction limits")

// Limits bound what one extraction may write.
type Limits struct {
	Bytes   int64 // total size of regular files
	Entries int   // number of entries
}

// DefaultLimits are far above real source archives (a kernel tarball expands
// to under 2 GB and 100,000 entries) and far below a full disk.
var DefaultLimits = Limits{Bytes: 32 << 30, Entries: 1 << 20}

// Extract unpacks the archive at path into the existing directory dest and
// returns the sniffed compression. Only regular files, directories and
// symlinks with relative targets that stay inside dest are accepted; file and
// directory modes come from the entry headers.
func Extract(path, dest string) (compression.Kind, error) {
	comp, err := compression.Detect(path)
	if err != nil {
		return comp, err
	}
	f, err := os.Open(path)
	if err != nil {
		return comp, err
	}
	defer f.Close()
	if err := ExtractStream(f, comp, dest); err != nil {
		return comp, fmt.Errorf("extracting %q: %w", filepath.Base(path), err)
	}
	return comp, nil
}

// ExtractStream unpacks a tar stream wrapped in comp into the existing
// directory dest, with the same rules as Extract and DefaultLimits.
func ExtractStream(r io.Reader, comp compression.Kind, dest string) error {
	return ExtractStreamLimited(r, comp, dest, DefaultLimits)
}

// ExtractStreamLimited is ExtractStream with explicit limits.
func ExtractStreamLimited(r io.Reader, comp compression.Kind, dest string, lim Limits) error {
	tr, closeFn, err := compression.NewReader(r, comp)
	if err != nil {
		return err
	}
	defer closeFn()
	root, err := safepath.RealRoot(dest)
	if err != nil {
		return err
	}
	x := &extractor{root: root, bytesLeft: lim.Bytes, entriesLeft: lim.Entries}
	if err := x.run(tar.NewReader(tr)); err != nil {
		return err
	}
	return x.applyDirModes()
}

// extractor writes entries below root (a fully resolved directory). Directory
// modes are applied after all entries, so read-only directories do not block
// their own contents.
type extractor struct {
	root        string
	dirModes    []dirMode
	bytesLeft   int64
	entriesLeft int
}

type dirMode struct {
	path string
	mode fs.FileMode
}

func (x *extractor) run(tr *tar.Reader) error {
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("reading tar: %w", err)
		}
		if err := x.entry(hdr, tr); err != nil {
			return fmt.Errorf("entry %q: %w", hdr.Name, err)
		}
	}
}

func (x *extractor) entry(hdr *tar.Header, r io.Reader) error {
	if x.entriesLeft--; x.entriesLeft < 0 {
		return fmt.Errorf("%w: too many entries", ErrTooLarge)
	}
	if hdr.Typeflag == tar.TypeReg {
		// A tar reader yields exactly the declared size, so budgeting by
		// header stops a bomb before anything large is written.
		if x.bytesLeft -= hdr.Size; x.bytesLeft < 0 {
			return fmt.Errorf("%w: expands beyond the byte limit", ErrTooLarge)
		}
	}
	switch hdr.Typeflag {
	case tar.TypeXGlobalHeader:
		return nil // archive-wide metadata (e.g. git archive's commit id), not a file
	case tar.TypeLink:
		return fmt.Errorf("%w: hard links are not supported", ErrUnsafeEntry)
	case tar.TypeChar, tar.TypeBlock, tar.TypeFifo:
		return fmt.Errorf("%w: devices and FIFOs are not supported", ErrUnsafeEntry)
	case tar.TypeDir, tar.TypeReg, tar.TypeSymlink:
	default:
		return fmt.Errorf("%w: unsupported entry type %q", ErrUnsafeEntry, hdr.Typeflag)
	}
	rel, err := entryPath(hdr.Name)
	if err != nil {
		return err
	}
	if rel == "." {
		if hdr.Typeflag == tar.TypeDir {
			return nil // the destination itself
		}
		return fmt.Errorf("%w: non-directory entry for the archive root", ErrUnsafeEntry)
	}
	parent, err := x.mkdirs(filepath.Dir(rel))
	if err != nil {
		return err
	}
	p := filepath.Join(parent, filepath.Base(rel))
	switch hdr.Typeflag {
	case tar.TypeDir:
		return x.dir(p, headerMode(hdr.Mode))
	case tar.TypeReg:
		return x.file(p, headerMode(hdr.Mode), r)
	default:
		return x.symlink(p, parent, hdr.Linkname)
	}
}

// entryPath validates an entry name and returns it cleaned and relative.
func entryPath(name string) (string, error) {
	if name == "" {
		return "", fmt.Errorf("%w: empty name", ErrUnsafeEntry)
	}
	if err := safepath.ValidateRelative(name); err != nil {
		return "", fmt.Errorf("%w: %w", ErrUnsafeEntry, err)
	}
	return filepath.Clean(name), nil
}

// mkdirs makes sure the directory rel exists below the root, creating missing
// components with implicitDirMode, and returns its resolved path.
func (x *extractor) mkdirs(rel string) (string, error) {
	resolved, err := safepath.Join(x.root, rel)
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrUnsafeEntry, err)
	}
	cur := x.root
	below, err := filepath.Rel(x.root, resolved)
	if err != nil {
		return "", err
	}
	for _, part := range strings.Split(below, string(filepath.Separator)) {
		if part == "." {
			continue
		}
		cur = filepath.Join(cur, part)
		if err := mkdirExact(cur, implicitDirMode); err != nil && !errors.Is(err, fs.ErrExist) {
			return "", err
		}
	}
	info, err := os.Stat(resolved)
	if err != nil {
		return "", err
	}
	if !info.IsDir() {
		return "", fmt.Errorf("parent %q is not a directory", rel)
	}
	return resolved, nil
}

// mkdirExact creates directory p with exactly mode, ignoring the umask.
func mkdirExact(p string, mode fs.FileMode) error {
	if err := os.Mkdir(p, 0o700); err != nil {
		return err
	}
	return os.Chmod(p, mode)
}

func (x *extractor) dir(p string, mode fs.FileMode) error {
	info, err := os.Lstat(p)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := mkdirExact(p, 0o700); err != nil {
			return err
		}
	case err != nil:
		return err
	case !info.IsDir():
		return fmt.Errorf("directory entry conflicts with an existing non-directory")
	}
	x.dirModes = append(x.dirModes, dirMode{p, mode})
	return nil
}

func (x *extractor) file(p string, mode fs.FileMode, r io.Reader) error {
	if err := removeNonDir(p); err != nil {
		return err
	}
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	_, err = io.Copy(f, r)
	if err == nil {
		err = f.Chmod(mode)
	}
	if closeErr := f.Close(); err == nil {
		err = closeErr
	}
	return err
}

// symlink creates a symlink at p (inside the resolved directory parent)
// after checking that target is relative and stays inside the root. A ".."
// after a named component is refused because the kernel resolves it against
// that component's symlink target rather than lexically.
func (x *extractor) symlink(p, parent, target string) error {
	if target == "" {
		return fmt.Errorf("%w: empty symlink target", ErrUnsafeEntry)
	}
	if filepath.IsAbs(target) {
		return fmt.Errorf("%w: absolute symlink target %q", ErrUnsafeEntry, target)
	}
	named := false
	for _, part := range strings.Split(target, "/") {
		switch part {
		case "", ".":
		case "..":
			if named {
				return fmt.Errorf("%w: symlink target %q has \"..\" after a path component", ErrUnsafeEntry, target)
			}
		default:
			named = true
		}
	}
	if !safepath.Within(x.root, filepath.Join(parent, target)) {
		return fmt.Errorf("%w: symlink target %q leaves the archive", ErrUnsafeEntry, target)
	}
	if err := removeNonDir(p); err != nil {
		return err
	}
	return os.Symlink(target, p)
}

// removeNonDir removes an existing file or symlink at p so that a later
// entry replaces an earlier one; an existing directory is an error.
func removeNonDir(p string) error {
	info, err := os.Lstat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if info.IsDir() {
		return fmt.Errorf("entry conflicts with an existing directory")
	}
	return os.Remove(p)
}

// applyDirModes sets the header modes of directory entries, children before
// their parents; for a repeated entry the last header wins.
func (x *extractor) applyDirModes() error {
	slices.SortStableFunc(x.dirModes, func(a, b dirMode) int { return len(b.path) - len(a.path) })
	for _, d := range x.dirModes {
		if err := os.Chmod(d.path, d.mode); err != nil {
			return err
		}
	}
	return nil
}

// headerMode converts tar permission bits (with setuid, setgid and sticky)
// to a FileMode.
func headerMode(m int64) fs.FileMode {
	mode := fs.FileMode(m) & fs.ModePerm
	if m&0o4000 != 0 {
		mode |= fs.ModeSetuid
	}
	if m&0o2000 != 0 {
		mode |= fs.ModeSetgid
	}
	if m&0o1000 != 0 {
		mode |= fs.ModeSticky
	}
	return mode
}

// ExtractionRoot returns the directory overlay globs are relative to: the
// single top-level entry of dir when it is a directory, otherwise dir itself.
func ExtractionRoot(dir string) (string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", err
	}
	if len(entries) == 1 && entries[0].IsDir() {
		return filepath.Join(dir, entries[0].Name()), nil
	}
	return dir, nil
}
