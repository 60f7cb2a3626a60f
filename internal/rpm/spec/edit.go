package spec

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Errors wrapped by the editing operations.
var (
	// ErrNoSuchTag reports a tag that is absent from the targeted package.
	ErrNoSuchTag = errors.New("no such tag")
	// ErrSectionNotFound reports a section or sub-package that is absent.
	ErrSectionNotFound = errors.New("section not found")
	// ErrPatternNotFound reports a search pattern that changed no line.
	ErrPatternNotFound = errors.New("pattern not found")
	// ErrConditionalSpansSections reports a removal that would break %if nesting.
	ErrConditionalSpansSections = errors.New("conditional block spans across section boundaries")
	// ErrNoPatchMatched reports a patch glob that matched no spec reference.
	ErrNoPatchMatched = errors.New("no patch reference matched")
)

// sectionNotFound builds the error for a missing (name, package) section.
func sectionNotFound(name, pkg string) error {
	return fmt.Errorf("section %#q (package=%#q) not found: %w", name, pkg, ErrSectionNotFound)
}

// normalizedLines converts texts to lines the way writing them out and reading
// them back does: each text ends with "\n", embedded newlines split it, and one
// carriage return before each newline is dropped.
func normalizedLines(texts []string) []line {
	out := make([]line, 0, len(texts))

	for _, text := range texts {
		for piece := range strings.SplitSeq(text, "\n") {
			out = append(out, line{text: strings.TrimSuffix(piece, "\r"), eol: eolLF})
		}
	}

	return out
}

// insertAt inserts texts before each position (indices into the current
// lines; each may appear once), then reindexes.
func (s *Spec) insertAt(positions []int, texts []string) {
	add := normalizedLines(texts)
	positions = slices.Clone(positions)
	slices.Sort(positions)

	if last := len(s.lines) - 1; last >= 0 && positions[len(positions)-1] > last {
		s.lines[last].eol = eolLF // the old last line now needs a terminator
	}

	for i := len(positions) - 1; i >= 0; i-- {
		s.lines = slices.Insert(s.lines, positions[i], add...)
	}

	s.reindex()
}

// lineRange is a half-open range [start, end) of line indices.
type lineRange struct{ start, end int }

// removeRanges deletes non-overlapping ranges, given in ascending order, then
// reindexes.
func (s *Spec) removeRanges(ranges []lineRange) {
	for i := len(ranges) - 1; i >= 0; i-- {
		s.lines = slices.Delete(s.lines, ranges[i].start, ranges[i].end)
	}

	s.reindex()
}

// lineEdit is what a rewrite callback does with one line.
type lineEdit uint8

const (
	keepLine lineEdit = iota
	replaceLine
	removeLine
)

// rewriter decides the fate of one non-header line; sec is the section the
// line belongs to at that point of the walk.
type rewriter func(sec Section, text string) (lineEdit, string)

// rewrite walks the lines in order, as the reference's visitor does, calling
// fn for every non-header line. A replacement is reclassified in place: if it
// forms a header, the following lines belong to the new section. Replacements
// are split into physical lines (normalizedLines) once the walk is done. It
// returns the number of lines replaced or removed.
func (s *Spec) rewrite(fn rewriter) int {
	var (
		out      = make([]line, 0, len(s.lines))
		replaced = map[int]string{} // index into out -> replacement text
		cur      Section
		changed  int
	)

	for _, l := range s.lines {
		if sec, ok := headerSection(l.text); ok {
			cur = sec
			out = append(out, l)

			continue
		}

		edit, text := fn(cur, l.text)
		switch edit {
		case keepLine:
			out = append(out, l)

			continue
		case removeLine:
		case replaceLine:
			replaced[len(out)] = text
			out = append(out, l)

			if sec, ok := headerSection(text); ok {
				cur = sec
			}
		}

		changed++
	}

	s.lines = expand(out, replaced)
	s.reindex()

	return changed
}

// expand substitutes the normalized lines of each replacement text for the
// line it replaces.
func expand(lines []line, replaced map[int]string) []line {
	if len(replaced) == 0 {
		return lines
	}

	out := make([]line, 0, len(lines)+len(replaced))
	for i, l := range lines {
		if text, ok := replaced[i]; ok {
			out = append(out, normalizedLines([]string{text})...)
		} else {
			out = append(out, l)
		}
	}

	return out
}
