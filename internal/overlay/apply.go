// Package overlay applies a component's overlays to its prepared sources:
// archive-scoped edits, the build-configuration rewrites (macros file,
// %check skip, header) and every spec and file overlay, in the reference
// order.
package overlay

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/azlforge/azldev/internal/config"
	"github.com/azlforge/azldev/internal/foundation/atomicfile"
	"github.com/azlforge/azldev/internal/foundation/safepath"
	"github.com/azlforge/azldev/internal/overlay/archive"
	"github.com/azlforge/azldev/internal/overlay/fileoverlay"
	"github.com/azlforge/azldev/internal/rpm/spec"
)

// Target is a component's prepared sources directory and what to apply to it.
type Target struct {
	Component string
	Dir       string // the prepared sources directory; the spec is <Dir>/<Component>.spec
	Config    *config.ComponentConfig
	// Macros are extra macros (upstream provenance) added unless already defined.
	Macros map[string]string
	// SkipArchives skips archive-scoped overlays (their archives were not downloaded).
	SkipArchives bool
	// ProjectDir confines overlay sources: one inside it must still lie
	// inside it once its symbolic links are followed.
	ProjectDir string
	Log        *slog.Logger
}

// Result reports what Apply changed besides the spec.
type Result struct {
	Repacked   []string // archive file names rewritten by archive overlays, in order
	MacrosFile string   // the macros file name, when one was written
}

// SpecPath is where the component's spec lives in the sources directory.
func (t *Target) SpecPath() string { return filepath.Join(t.Dir, t.Component+".spec") }

// Apply runs every overlay in order: archives, synthetic macros loading,
// the component's overlays, the %check skip and the header.
func Apply(t Target) (Result, error) {
	var res Result
	if t.Log == nil {
		t.Log = slog.New(slog.DiscardHandler)
	}
	if err := applyArchives(&t, &res); err != nil {
		return res, err
	}
	data, err := os.ReadFile(t.SpecPath())
	if err != nil {
		return res, fmt.Errorf("component `%s`: reading spec: %w", t.Component, err)
	}
	s := spec.Parse(data)
	s.Normalize()
	if err := writeMacros(&t, s, &res); err != nil {
		return res, err
	}
	for i := range t.Config.Overlays {
		o := &t.Config.Overlays[i]
		if o.IsArchiveScoped() {
			continue
		}
		src, err := t.sourcePath(o.Source)
		if err == nil {
			err = applyOne(t.Dir, s, o, src)
		}
		if err != nil {
			return res, &Error{Component: t.Component, Index: i + 1, Overlay: o, Err: err}
		}
	}
	if err := applyCheckSkip(&t, s); err != nil {
		return res, err
	}
	if err := s.PrependLines("", "", headerLines); err != nil {
		return res, err
	}
	return res, writeSpec(t.SpecPath(), s)
}

// Error is an overlay that failed to apply.
type Error struct {
	Component string
	Index     int // 1-based position in the resolved overlay list
	Overlay   *config.ComponentOverlay
	Err       error
}

func (e *Error) Error() string {
	desc := ""
	if e.Overlay.Description != "" {
		desc = fmt.Sprintf(" %q", e.Overlay.Description)
	}
	return fmt.Sprintf("component `%s`: overlay %d (%s%s): %v", e.Component, e.Index, e.Overlay.Type, desc, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// sourcePath is where an overlay's source file really is (see ProjectDir).
func (t *Target) sourcePath(source string) (string, error) {
	if t.ProjectDir == "" || !safepath.Within(t.ProjectDir, source) {
		return source, nil
	}
	real, err := safepath.Resolve(t.ProjectDir, source)
	if err != nil {
		return "", fmt.Errorf("source %s: %w", source, err)
	}
	return real, nil
}

// applyOne applies one loose-file or spec overlay; src is its resolved source file.
func applyOne(dir string, s *spec.Spec, o *config.ComponentOverlay, src string) error {
	switch o.Type {
	case config.OverlaySpecAddTag:
		return s.AddTag(o.Package, o.Tag, o.Value)
	case config.OverlaySpecInsertTag:
		return s.InsertTag(o.Package, o.Tag, o.Value)
	case config.OverlaySpecSetTag:
		return s.SetTag(o.Package, o.Tag, o.Value)
	case config.OverlaySpecUpdateTag:
		return s.UpdateTag(o.Package, o.Tag, o.Value)
	case config.OverlaySpecRemoveTag:
		return s.RemoveTag(o.Package, o.Tag, o.Value)
	case config.OverlaySpecPrependLines:
		return s.PrependLines(o.Section, o.Package, o.Lines)
	case config.OverlaySpecAppendLines:
		return s.AppendLines(o.Section, o.Package, o.Lines)
	case config.OverlaySpecSearchReplace:
		return s.SearchReplace(o.Section, o.Package, o.Regex, o.Replacement)
	case config.OverlaySpecRemoveSection:
		return s.RemoveSection(o.Section, o.Package)
	case config.OverlaySpecRemoveSubpackage:
		return s.RemoveSubpackage(o.Package)
	case config.OverlayPatchAdd:
		dest := patchName(o)
		if err := s.PatchAddSpec(o.Package, dest); err != nil {
			return err
		}
		return fileoverlay.PatchAdd(dir, dest, src)
	case config.OverlayPatchRemove:
		if err := s.PatchRemoveSpec(o.File); err != nil {
			return err
		}
		return fileoverlay.PatchRemove(dir, o.File)
	}
	return applyFileOverlay(dir, o, src)
}

// applyFileOverlay applies a loose-file overlay inside root.
func applyFileOverlay(root string, o *config.ComponentOverlay, src string) error {
	switch o.Type {
	case config.OverlayFilePrependLines:
		return fileoverlay.FilePrependLines(root, o.File, o.Lines)
	case config.OverlayFileSearchReplace:
		return fileoverlay.FileSearchReplace(root, o.File, o.Regex, o.Replacement)
	case config.OverlayFileAdd:
		return fileoverlay.FileAdd(root, o.File, src)
	case config.OverlayFileRemove:
		return fileoverlay.FileRemove(root, o.File)
	case config.OverlayFileRename:
		return fileoverlay.FileRename(root, o.File, o.Replacement)
	}
	return fmt.Errorf("unknown overlay type `%s`", o.Type)
}

// patchName is the destination file name of a patch-add overlay.
func patchName(o *config.ComponentOverlay) string {
	if o.File != "" {
		return o.File
	}
	return filepath.Base(o.Source)
}

// applyArchives runs archive-scoped overlays: one extract/edit/repack per archive.
func applyArchives(t *Target, res *Result) error {
	var names []string
	ops := map[string][]archive.Op{}
	index := map[string][]int{} // archive → the ops' positions in the overlay list
	for i, o := range t.Config.Overlays {
		if !o.IsArchiveScoped() {
			continue
		}
		if _, seen := ops[o.Archive]; !seen {
			names = append(names, o.Archive)
		}
		ops[o.Archive] = append(ops[o.Archive], archive.Op{Type: o.Type, File: o.File, Regex: o.Regex, Replacement: o.Replacement})
		index[o.Archive] = append(index[o.Archive], i)
	}
	if len(names) == 0 {
		return nil
	}
	if t.SkipArchives {
		t.Log.Warn("Skipping archive overlays: source archives were not downloaded", "component", t.Component, "archives", names)
		return nil
	}
	for _, name := range names {
		err := archive.ApplyOverlays(filepath.Join(t.Dir, name), ops[name]...)
		var opErr *archive.OpError
		if errors.As(err, &opErr) {
			i := index[name][opErr.Index]
			return &Error{Component: t.Component, Index: i + 1, Overlay: &t.Config.Overlays[i], Err: fmt.Errorf("in archive %s: %w", name, opErr.Err)}
		}
		if err != nil {
			return fmt.Errorf("component `%s`: archive %s: %w", t.Component, name, err)
		}
		res.Repacked = append(res.Repacked, name)
	}
	return nil
}

var headerLines = []string{
	"# This spec file has been modified by azldev to include build configuration overlays.",
	"# Do not edit manually; changes may be overwritten.",
	"",
}

// applyCheckSkip disables every main-package %check section.
func applyCheckSkip(t *Target, s *spec.Spec) error {
	c := t.Config.Build.Check
	if !c.Skip {
		return nil
	}
	lines := []string{"# Check section disabled: " + c.SkipReason, "exit 0", ""}
	if err := s.PrependLines("%check", "", lines); err != nil {
		return fmt.Errorf("component `%s`: build.check.skip: %w", t.Component, err)
	}
	return nil
}

// writeSpec replaces the spec, keeping its mode and never writing through a
// symlink out of the sources directory.
func writeSpec(path string, s *spec.Spec) error {
	return atomicfile.Replace(path, s.Bytes(), 0o644)
}
