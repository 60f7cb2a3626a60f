package config

// Overlay types.
const (
	OverlaySpecAddTag           = "spec-add-tag"
	OverlaySpecInsertTag        = "spec-insert-tag"
	OverlaySpecSetTag           = "spec-set-tag"
	OverlaySpecUpdateTag        = "spec-update-tag"
	OverlaySpecRemoveTag        = "spec-remove-tag"
	OverlaySpecPrependLines     = "spec-prepend-lines"
	OverlaySpecAppendLines      = "spec-append-lines"
	OverlaySpecSearchReplace    = "spec-search-replace"
	OverlaySpecRemoveSection    = "spec-remove-section"
	OverlaySpecRemoveSubpackage = "spec-remove-subpackage"
	OverlayPatchAdd             = "patch-add"
	OverlayPatchRemove          = "patch-remove"
	OverlayFilePrependLines     = "file-prepend-lines"
	OverlayFileSearchReplace    = "file-search-replace"
	OverlayFileAdd              = "file-add"
	OverlayFileRemove           = "file-remove"
	OverlayFileRename           = "file-rename"
)

// OverlayTypes lists every overlay type in documentation order.
var OverlayTypes = []string{
	OverlaySpecAddTag, OverlaySpecInsertTag, OverlaySpecSetTag, OverlaySpecUpdateTag,
	OverlaySpecRemoveTag, OverlaySpecPrependLines, OverlaySpecAppendLines,
	OverlaySpecSearchReplace, OverlaySpecRemoveSection, OverlaySpecRemoveSubpackage,
	OverlayPatchAdd, OverlayPatchRemove, OverlayFilePrependLines, OverlayFileSearchReplace,
	OverlayFileAdd, OverlayFileRemove, OverlayFileRename,
}

// IsArchiveScoped reports whether the overlay edits files inside a source archive.
func (o *ComponentOverlay) IsArchiveScoped() bool { return o.Archive != "" }
