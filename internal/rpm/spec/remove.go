package spec

import (
	"errors"
	"fmt"
	"strings"
)

// RemoveSection deletes every section named section with qualifier pkg, from
// its header through the line before the next header, keeping %if/%endif
// nesting balanced (see balance).
func (s *Spec) RemoveSection(section, pkg string) error {
	if section == "" {
		return errors.New("cannot remove the preamble")
	}

	targets := s.FindSections(section, pkg)
	if len(targets) == 0 {
		return sectionNotFound(section, pkg)
	}

	return s.removeSections(targets)
}

// RemoveSubpackage deletes every section (of any kind) whose qualifier is pkg,
// keeping %if/%endif nesting balanced like RemoveSection.
func (s *Spec) RemoveSubpackage(pkg string) error {
	if pkg == "" {
		return errors.New("cannot remove a sub-package with an empty name")
	}

	targets := s.filterSections(func(sec Section) bool { return sec.Package == pkg })
	if len(targets) == 0 {
		return fmt.Errorf("sub-package %#q not found: %w", pkg, ErrSectionNotFound)
	}

	return s.removeSections(targets)
}

// removeSections balances each section's range and deletes them all.
func (s *Spec) removeSections(targets []Section) error {
	pairs, err := s.conditionalPairs()
	if err != nil {
		return err
	}

	ranges := make([]lineRange, len(targets))
	for i, sec := range targets {
		if ranges[i], err = s.balance(lineRange{sec.Start, sec.End}, pairs); err != nil {
			return err
		}
	}

	s.removeRanges(ranges)

	return nil
}

// condPair is a matched %if (open) / %endif (close) pair of line indices.
type condPair struct{ open, close int }

// inside reports whether line i lies in r.
func (r lineRange) inside(i int) bool { return r.start <= i && i < r.end }

// conditionalPairs matches every %if…%endif of the file, in the order the
// pairs close (so inner pairs precede the pairs enclosing them).
func (s *Spec) conditionalPairs() ([]condPair, error) {
	var pairs []condPair

	var open []int

	for i, l := range s.lines {
		switch conditionalOf(l.text) {
		case condOpen:
			open = append(open, i)
		case condClose:
			if len(open) == 0 {
				return nil, fmt.Errorf("unmatched %%endif at line %d", i+1)
			}

			pairs = append(pairs, condPair{open[len(open)-1], i})
			open = open[:len(open)-1]
		}
	}

	if len(open) > 0 {
		return nil, fmt.Errorf("unmatched %%if at line %d", open[0]+1)
	}

	return pairs, nil
}

// balance shrinks r so that deleting it keeps conditionals balanced. Pairs
// inside r go with it. For a pair straddling the boundary, r is cut before its
// inside line, provided only blank, comment and %if/%endif lines follow the
// cut (and follow a straddling %if). A %else/%elif whose innermost enclosing
// pair is not wholly inside r cannot be removed.
func (s *Spec) balance(r lineRange, pairs []condPair) (lineRange, error) {
	cut := r.end

	for _, p := range pairs {
		openIn, closeIn := r.inside(p.open), r.inside(p.close)
		if openIn == closeIn {
			continue
		}

		inner := p.close
		if openIn {
			inner = p.open
			if !s.onlyStructure(p.open+1, r.end) {
				return r, spansError(r)
			}
		}

		cut = min(cut, inner)
	}

	if err := s.checkBranches(r, pairs); err != nil {
		return r, err
	}

	if cut < r.end && !s.onlyStructure(cut, r.end) {
		return r, spansError(r)
	}

	return lineRange{r.start, cut}, nil
}

// onlyStructure reports whether lines [from, to) are all blank, comments
// (after trimming) or %if/%endif lines.
func (s *Spec) onlyStructure(from, to int) bool {
	for i := from; i < to; i++ {
		text := s.lines[i].text
		trimmed := strings.TrimSpace(text)

		if trimmed != "" && !strings.HasPrefix(trimmed, "#") && depthChange(text) == 0 {
			return false
		}
	}

	return true
}

// checkBranches fails when r holds a %else/%elif of a pair not wholly in r.
func (s *Spec) checkBranches(r lineRange, pairs []condPair) error {
	for i := r.start; i < r.end; i++ {
		if conditionalOf(s.lines[i].text) != condBranch {
			continue
		}

		for _, p := range pairs {
			if p.open <= i && i <= p.close {
				if !r.inside(p.open) || !r.inside(p.close) {
					return spansError(r)
				}

				break
			}
		}
	}

	return nil
}

// spansError describes a section whose removal would break conditionals.
func spansError(r lineRange) error {
	return fmt.Errorf("section at lines %d-%d: %w", r.start+1, r.end, ErrConditionalSpansSections)
}
