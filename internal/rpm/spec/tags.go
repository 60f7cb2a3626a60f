package spec

import (
	"fmt"
	"strings"
)

// tagLine formats an added or rewritten tag: the tag spelled as given, one space.
func tagLine(tag, value string) string { return tag + ": " + value }

// packageSection returns the name of the section holding package pkg's tags:
// the preamble for the main package, else "%package".
func packageSection(pkg string) string {
	if pkg == "" {
		return ""
	}

	return "%package"
}

// AddTag appends "tag: value" at the end of package pkg's section (the
// preamble, or every "%package pkg" section): right before the next header,
// after any trailing blank lines. It never checks for an existing tag.
func (s *Spec) AddTag(pkg, tag, value string) error {
	return s.appendToSections(packageSection(pkg), pkg, []string{tagLine(tag, value)})
}

// InsertTag inserts "tag: value" after the last tag of the same family
// (lowercased, trailing digits stripped) in package pkg's section, else after
// its last tag, else like AddTag. When that line lies inside a conditional
// open at that point (depth counted from the top of the file), the tag goes
// below the %endif closing it, if that %endif lies before the section end.
func (s *Spec) InsertTag(pkg, tag, value string) error {
	targets := s.FindSections(packageSection(pkg), pkg)
	if len(targets) == 0 {
		return sectionNotFound(packageSection(pkg), pkg)
	}

	family := tagFamily(tag)
	lastFamily, lastAny := -1, -1

	for _, sec := range targets {
		for i := sec.body(); i < sec.End; i++ {
			if name, _, ok := parseTag(s.lines[i].text); ok {
				lastAny = i
				if tagFamily(name) == family {
					lastFamily = i
				}
			}
		}
	}

	after := lastFamily
	if after < 0 {
		after = lastAny
	}

	if after < 0 {
		return s.AddTag(pkg, tag, value)
	}

	after = s.skipConditional(after, targets[len(targets)-1].End)
	s.insertAt([]int{after + 1}, []string{tagLine(tag, value)})

	return nil
}

// skipConditional returns the line of the %endif that closes the conditionals
// open at line at (counted from the top of the file), provided it comes before
// end; otherwise at itself.
func (s *Spec) skipConditional(at, end int) int {
	depth := 0
	for i := 0; i <= at; i++ {
		depth += depthChange(s.lines[i].text)
	}

	if depth <= 0 {
		return at
	}

	for i := at + 1; i < end; i++ {
		depth += depthChange(s.lines[i].text)
		if depth <= 0 {
			return i
		}
	}

	return at
}

// SetTag rewrites every tag named tag (case-insensitive) of package pkg to
// "tag: value"; without such a tag it behaves like AddTag.
func (s *Spec) SetTag(pkg, tag, value string) error {
	if s.rewriteTags(pkg, tag, value) > 0 {
		return nil
	}

	return s.AddTag(pkg, tag, value)
}

// UpdateTag rewrites every tag named tag of package pkg like SetTag, but fails
// when the package has no such tag.
func (s *Spec) UpdateTag(pkg, tag, value string) error {
	if s.rewriteTags(pkg, tag, value) == 0 {
		return fmt.Errorf("tag %#q not found in spec: %w", tag, ErrNoSuchTag)
	}

	return nil
}

// rewriteTags replaces each tag of package pkg named tag and counts them.
func (s *Spec) rewriteTags(pkg, tag, value string) int {
	return s.rewrite(func(sec Section, text string) (lineEdit, string) {
		if name, _, ok := packageTag(sec, pkg, text); ok && sameTagName(name, tag) {
			return replaceLine, tagLine(tag, value)
		}

		return keepLine, ""
	})
}

// RemoveTag deletes every tag named tag of package pkg; with a non-empty value
// only those whose value equals it case-insensitively (both trimmed). Enclosing
// conditionals stay.
func (s *Spec) RemoveTag(pkg, tag, value string) error {
	removed := s.rewrite(func(sec Section, text string) (lineEdit, string) {
		name, v, ok := packageTag(sec, pkg, text)
		if ok && sameTagName(name, tag) &&
			(value == "" || strings.EqualFold(v, strings.TrimSpace(value))) {
			return removeLine, ""
		}

		return keepLine, ""
	})
	if removed == 0 {
		return fmt.Errorf("tag %#q with value %#q not found in spec: %w", tag, value, ErrNoSuchTag)
	}

	return nil
}

// packageTag parses text as a tag when sec carries tags of package pkg.
func packageTag(sec Section, pkg, text string) (name, value string, ok bool) {
	if !sec.HasTags() || sec.Package != pkg {
		return "", "", false
	}

	return parseTag(text)
}
