package spec

import "strings"

// Section is a contiguous range of lines: a header line and everything up to
// (not including) the next header, trailing blank lines included. The preamble
// is the section before the first header; it has an empty Name and Package.
type Section struct {
	// Name is the header keyword as written (e.g. "%files", "%Build"); "" for the preamble.
	Name string
	// Package is the sub-package qualifier as written in the header ("devel",
	// "%{name}-libs"); "" for the main package and unqualified sections.
	Package string
	// Start is the index of the header line (0 for the preamble).
	Start int
	// End is the index one past the section's last line.
	End int

	kind headerKind
}

// IsPreamble reports whether the section is the preamble.
func (sec Section) IsPreamble() bool { return sec.Name == "" }

// HasTags reports whether tags are recognized in the section: the preamble
// and %package sections (keyword compared case-insensitively).
func (sec Section) HasTags() bool { return sec.IsPreamble() || sec.kind == kindPackage }

// body returns the index of the section's first line after the header.
func (sec Section) body() int {
	if sec.IsPreamble() {
		return sec.Start
	}

	return sec.Start + 1
}

// headerSection returns the section a header line opens (without its range).
func headerSection(text string) (Section, bool) {
	kind, name := headerOf(text)
	if kind == kindNone {
		return Section{}, false
	}

	return Section{Name: name, Package: qualifierOf(kind, text), kind: kind}, true
}

// reindex rebuilds the section list from the lines.
func (s *Spec) reindex() {
	s.sections = append(s.sections[:0], Section{})

	for i, l := range s.lines {
		sec, ok := headerSection(l.text)
		if !ok {
			continue
		}

		s.sections[len(s.sections)-1].End = i
		sec.Start = i
		s.sections = append(s.sections, sec)
	}

	s.sections[len(s.sections)-1].End = len(s.lines)
}

// Sections returns all sections in file order, the preamble first.
func (s *Spec) Sections() []Section {
	if s.sections == nil {
		s.reindex()
	}

	return append([]Section(nil), s.sections...)
}

// FindSections returns every section whose name (compared case-sensitively)
// and qualifier equal name and pkg, in file order.
func (s *Spec) FindSections(name, pkg string) []Section {
	return s.filterSections(func(sec Section) bool { return sec.Name == name && sec.Package == pkg })
}

// HasSection reports whether any section is named name (case-sensitive).
func (s *Spec) HasSection(name string) bool {
	return len(s.filterSections(func(sec Section) bool { return sec.Name == name })) > 0
}

// filterSections returns the sections accepted by keep, in file order.
func (s *Spec) filterSections(keep func(Section) bool) []Section {
	var out []Section

	for _, sec := range s.Sections() {
		if keep(sec) {
			out = append(out, sec)
		}
	}

	return out
}

// Tag is one tag line.
type Tag struct {
	// Name is the tag name as written ("BuildRequires", "Requires(post)").
	Name string
	// Value is the text after the colon, trimmed.
	Value string
	// Package is the qualifier of the section holding the tag ("" = main).
	Package string
	// Line is the 0-based line index.
	Line int
}

// AllTags returns the tags of every package in file order.
func (s *Spec) AllTags() []Tag {
	var tags []Tag

	for _, sec := range s.Sections() {
		if !sec.HasTags() {
			continue
		}

		for i := sec.body(); i < sec.End; i++ {
			if name, value, ok := parseTag(s.lines[i].text); ok {
				tags = append(tags, Tag{Name: name, Value: value, Package: sec.Package, Line: i})
			}
		}
	}

	return tags
}

// Tags returns the tags of package pkg ("" = main package, which includes a
// %package header without qualifier) in file order.
func (s *Spec) Tags(pkg string) []Tag {
	var tags []Tag

	for _, tag := range s.AllTags() {
		if tag.Package == pkg {
			tags = append(tags, tag)
		}
	}

	return tags
}

// TagValue returns the value of the first tag of package pkg named name
// (case-insensitive).
func (s *Spec) TagValue(pkg, name string) (string, bool) {
	tags := s.namedTags(pkg, name)
	if len(tags) == 0 {
		return "", false
	}

	return tags[0].Value, true
}

// LastTagValue returns the value of the last tag of package pkg named name
// (case-insensitive).
func (s *Spec) LastTagValue(pkg, name string) (string, bool) {
	tags := s.namedTags(pkg, name)
	if len(tags) == 0 {
		return "", false
	}

	return tags[len(tags)-1].Value, true
}

// namedTags returns the tags of package pkg named name (case-insensitive).
func (s *Spec) namedTags(pkg, name string) []Tag {
	var out []Tag

	for _, tag := range s.Tags(pkg) {
		if sameTagName(tag.Name, name) {
			out = append(out, tag)
		}
	}

	return out
}

// sameTagName compares tag names case-insensitively (by lowercasing, as the
// reference does).
func sameTagName(a, b string) bool {
	//lint:ignore SA6005 EqualFold also folds characters like ſ and K, which the reference does not
	return a == b || strings.ToLower(a) == strings.ToLower(b)
}
