package spec

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
)

// patchlist is the section listing patch files one per line.
const patchlist = "%patchlist"

// PatchAddSpec records patch file name in the spec: appended to every
// %patchlist section when the spec has one, otherwise added (AddTag) to
// package pkg as "PatchN: file" with N one above the highest patch number
// in use (see NextPatchNumber).
func (s *Spec) PatchAddSpec(pkg, file string) error {
	if s.HasSection(patchlist) {
		return s.AppendLines(patchlist, "", []string{file})
	}

	return s.AddTag(pkg, "Patch"+strconv.Itoa(s.NextPatchNumber()), file)
}

// NextPatchNumber returns 1 + max(highest numbered PatchN tag in any package,
// number of bare "Patch:" tags - 1), which is 0 when there are none.
func (s *Spec) NextPatchNumber() int {
	highest, bare := -1, 0

	for _, tag := range s.AllTags() {
		if n, ok := patchNumber(tag.Name); ok {
			highest = max(highest, n)
		} else if strings.EqualFold(tag.Name, "patch") {
			bare++
		}
	}

	return max(highest, bare-1) + 1
}

// PatchRemoveSpec deletes every numbered "PatchN:" tag (any package) whose
// value matches the doublestar glob, then every non-blank %patchlist line
// whose trimmed text matches. Bare "Patch:" tags are never removed. It fails
// when nothing matched.
func (s *Spec) PatchRemoveSpec(glob string) error {
	if !doublestar.ValidatePattern(glob) {
		return fmt.Errorf("invalid glob %#q: %w", glob, doublestar.ErrBadPattern)
	}

	tags := s.rewrite(func(sec Section, text string) (lineEdit, string) {
		if !sec.HasTags() {
			return keepLine, ""
		}

		name, value, ok := parseTag(text)
		if _, numbered := patchNumber(name); ok && numbered && globMatch(glob, value) {
			return removeLine, ""
		}

		return keepLine, ""
	})

	entries := s.rewrite(func(sec Section, text string) (lineEdit, string) {
		trimmed := strings.TrimSpace(text)
		if sec.Name == patchlist && trimmed != "" && globMatch(glob, trimmed) {
			return removeLine, ""
		}

		return keepLine, ""
	})

	if tags+entries == 0 {
		return fmt.Errorf("no patches matching %#q found in spec: %w", glob, ErrNoPatchMatched)
	}

	return nil
}

// globMatch matches name against a pattern already validated.
func globMatch(glob, name string) bool {
	ok, _ := doublestar.Match(glob, name)

	return ok
}
