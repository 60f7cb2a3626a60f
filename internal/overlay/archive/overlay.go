package archive

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/azlforge/azldev/internal/foundation/compression"
	"github.com/azlforge/azldev/internal/foundation/scratch"
	"github.com/azlforge/azldev/internal/overlay/fileoverlay"
)

// Overlay types that may be scoped to an archive.
const (
	OpFileRemove        = "file-remove"
	OpFileSearchReplace = "file-search-replace"
)

// Op is one archive-scoped file overlay.
type Op struct {
	Type        string // OpFileRemove or OpFileSearchReplace
	File        string // doublestar glob relative to the extraction root
	Regex       string // RE2 expression (file-search-replace)
	Replacement string // literal replacement (file-search-replace)
}

// extractTag tags the temporary extraction directories (see package scratch).
const extractTag = ".azldev-archive-"

// ApplyOverlays extracts the archive at path once into a temporary
// directory, applies ops in order against the extraction root (see
// ExtractionRoot) and repacks the whole extraction directory over path with
// the sniffed compression, keeping the archive's permission bits. The
// temporary directory is always removed; on failure the archive is left
// untouched.
func ApplyOverlays(path string, ops ...Op) error {
	if err := compression.CheckName(filepath.Base(path)); err != nil {
		return err
	}
	for i, op := range ops {
		if op.Type != OpFileRemove && op.Type != OpFileSearchReplace {
			return fmt.Errorf("archive %q: overlay %d: type %q cannot be applied inside an archive", filepath.Base(path), i+1, op.Type)
		}
	}
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	_ = scratch.Sweep(os.TempDir(), extractTag) // best effort: killed runs' extractions
	tmp, release, err := scratch.MkdirTemp(os.TempDir(), "", extractTag)
	if err != nil {
		return err
	}
	defer release()
	defer scratch.RemoveAll(tmp)
	comp, err := Extract(path, tmp)
	if err != nil {
		return err
	}
	root, err := ExtractionRoot(tmp)
	if err != nil {
		return err
	}
	for i, op := range ops {
		if err := apply(root, op); err != nil {
			return &OpError{Archive: filepath.Base(path), Index: i, Op: op, Err: err}
		}
	}
	return WriteArchive(path, tmp, comp, info.Mode().Perm())
}

// OpError is an archive overlay that failed inside the extracted archive.
type OpError struct {
	Archive string
	Index   int // position of the op in the ApplyOverlays call (0-based)
	Op      Op
	Err     error
}

func (e *OpError) Error() string {
	return fmt.Sprintf("archive %q: overlay %d (%s %q): %v", e.Archive, e.Index+1, e.Op.Type, e.Op.File, e.Err)
}

func (e *OpError) Unwrap() error { return e.Err }

func apply(root string, op Op) error {
	if op.Type == OpFileRemove {
		return fileoverlay.FileRemove(root, op.File)
	}
	return fileoverlay.FileSearchReplace(root, op.File, op.Regex, op.Replacement)
}
