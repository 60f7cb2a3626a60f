package spec

import (
	"errors"
	"fmt"
	"regexp"
)

// errPackageWithoutSection rejects a package qualifier given without a section.
var errPackageWithoutSection = errors.New("a package requires a section")

// PrependLines inserts lines right after the header of every section named
// section with qualifier pkg ("%package" + pkg targets "%package pkg"). With
// an empty section the lines go to the very top of the file.
func (s *Spec) PrependLines(section, pkg string, lines []string) error {
	if section == "" {
		return s.wholeFile(pkg, 0, lines)
	}

	targets := s.FindSections(section, pkg)
	if len(targets) == 0 {
		return sectionNotFound(section, pkg)
	}

	positions := make([]int, len(targets))
	for i, sec := range targets {
		positions[i] = sec.body()
	}

	s.insertAt(positions, lines)

	return nil
}

// AppendLines inserts lines at the end of every section named section with
// qualifier pkg: right before the next header, after trailing blank lines.
// With an empty section the lines go to the very end of the file.
func (s *Spec) AppendLines(section, pkg string, lines []string) error {
	if section == "" {
		return s.wholeFile(pkg, len(s.lines), lines)
	}

	return s.appendToSections(section, pkg, lines)
}

// wholeFile inserts lines at index at for a file-level edit.
func (s *Spec) wholeFile(pkg string, at int, lines []string) error {
	if pkg != "" {
		return fmt.Errorf("package %#q: %w", pkg, errPackageWithoutSection)
	}

	s.insertAt([]int{at}, lines)

	return nil
}

// appendToSections inserts lines at the end of every (section, pkg) section;
// section "" is the preamble.
func (s *Spec) appendToSections(section, pkg string, lines []string) error {
	targets := s.FindSections(section, pkg)
	if len(targets) == 0 {
		return sectionNotFound(section, pkg)
	}

	positions := make([]int, len(targets))
	for i, sec := range targets {
		positions[i] = sec.End
	}

	s.insertAt(positions, lines)

	return nil
}

// SearchReplace replaces every match of the RE2 pattern re with the literal
// replacement, line by line (^ and $ anchor to the line), never touching
// header lines. An empty section means the whole file; an empty pkg means
// sections of every package. At least one line must change.
func (s *Spec) SearchReplace(section, pkg, re, replacement string) error {
	compiled, err := regexp.Compile(re)
	if err != nil {
		return fmt.Errorf("invalid regex %#q: %w", re, err)
	}

	changed := s.rewrite(func(sec Section, text string) (lineEdit, string) {
		if (section != "" && sec.Name != section) || (pkg != "" && sec.Package != pkg) {
			return keepLine, ""
		}

		if replaced := compiled.ReplaceAllLiteralString(text, replacement); replaced != text {
			return replaceLine, replaced
		}

		return keepLine, ""
	})
	if changed == 0 {
		return fmt.Errorf("pattern %#q not found (section=%#q, package=%#q): %w", re, section, pkg, ErrPatternNotFound)
	}

	return nil
}
