// Package treediff compares two directory trees file by file and renders the
// differences as unified diffs.
package treediff

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"

	udiff "github.com/aymanbagabas/go-udiff"
)

// File statuses.
const (
	Modified    = "modified"
	Added       = "added"
	Removed     = "removed"
	TypeChanged = "type-changed"
)

// Change is one line of a diff hunk.
type Change struct {
	Line    int    `json:"line"` // line number in the new file (old file for removals)
	Type    string `json:"type"` // context, added or removed
	Content string `json:"content"`
}

// FileDiff is the difference of one path between the trees.
type FileDiff struct {
	Path     string   `json:"path"`
	Status   string   `json:"status"`
	IsBinary bool     `json:"isBinary,omitempty"`
	Message  string   `json:"message,omitempty"`
	Changes  []Change `json:"changes,omitempty"`
	Unified  string   `json:"-"` // the unified diff text, for text output
}

// Result lists the differing files sorted by path.
type Result struct {
	Files []FileDiff `json:"files"`
}

// entry is a tree entry: a regular file's content, or a symlink's target.
type entry struct {
	kind    fs.FileMode // 0 for regular files, ModeSymlink for links
	content []byte
}

// Compare diffs every file below oldDir against newDir (directories are only containers).
func Compare(oldDir, newDir string) (Result, error) {
	before, err := readTree(oldDir)
	if err != nil {
		return Result{}, err
	}
	after, err := readTree(newDir)
	if err != nil {
		return Result{}, err
	}
	paths := map[string]bool{}
	for p := range before {
		paths[p] = true
	}
	for p := range after {
		paths[p] = true
	}
	sorted := make([]string, 0, len(paths))
	for p := range paths {
		sorted = append(sorted, p)
	}
	sort.Strings(sorted)
	res := Result{Files: []FileDiff{}}
	for _, p := range sorted {
		if d, changed := diffEntry(p, before[p], after[p]); changed {
			res.Files = append(res.Files, d)
		}
	}
	return res, nil
}

func readTree(root string) (map[string]entry, error) {
	out := map[string]entry{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == ".git" {
				return filepath.SkipDir
			}
			return nil
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		var e entry
		if d.Type()&fs.ModeSymlink != 0 {
			target, err := os.Readlink(path)
			if err != nil {
				return err
			}
			e = entry{kind: fs.ModeSymlink, content: []byte(target)}
		} else if e.content, err = os.ReadFile(path); err != nil {
			return err
		}
		out[filepath.ToSlash(rel)] = e
		return nil
	})
	return out, err
}

// diffEntry compares one path; a nil content means absent.
func diffEntry(path string, old, cur entry) (FileDiff, bool) {
	oldOK, curOK := old.content != nil || old.kind != 0, cur.content != nil || cur.kind != 0
	d := FileDiff{Path: path}
	switch {
	case !oldOK && !curOK:
		return d, false
	case !oldOK:
		d.Status = Added
	case !curOK:
		d.Status = Removed
	case old.kind != cur.kind:
		d.Status, d.Message = TypeChanged, "changed between a file and a symbolic link"
		return d, true
	case bytes.Equal(old.content, cur.content):
		return d, false
	default:
		d.Status = Modified
	}
	if isBinary(old.content) || isBinary(cur.content) {
		d.IsBinary, d.Message = true, "binary files differ"
		return d, true
	}
	d.Unified, d.Changes = unified(path, d.Status, string(old.content), string(cur.content))
	return d, true
}

func unified(path, status, old, cur string) (string, []Change) {
	from, to := "a/"+path, "b/"+path
	if status == Added {
		from = "/dev/null"
	}
	if status == Removed {
		to = "/dev/null"
	}
	edits := udiff.Lines(old, cur)
	u, err := udiff.ToUnifiedDiff(from, to, old, edits, udiff.DefaultContextLines)
	if err != nil {
		return "", nil
	}
	var changes []Change
	for _, h := range u.Hunks {
		oldLine, newLine := h.FromLine, h.ToLine
		for _, l := range h.Lines {
			c := Change{Content: strings.TrimSuffix(l.Content, "\n")}
			switch l.Kind {
			case udiff.Delete:
				c.Type, c.Line = "removed", oldLine
				oldLine++
			case udiff.Insert:
				c.Type, c.Line = "added", newLine
				newLine++
			default:
				c.Type, c.Line = "context", newLine
				oldLine++
				newLine++
			}
			changes = append(changes, c)
		}
	}
	return u.String(), changes
}

// isBinary treats NUL bytes or invalid UTF-8 as binary content.
func isBinary(b []byte) bool {
	return bytes.IndexByte(b, 0) >= 0 || !utf8.Valid(b)
}
