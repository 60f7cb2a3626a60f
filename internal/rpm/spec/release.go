package spec

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
)

// Errors of the release bump.
var (
	// ErrAutorelease reports a static release bump on a %autorelease spec.
	ErrAutorelease = errors.New(
		`the Release tag uses %autorelease; set 'release.calculation = "autorelease"' instead`)
	// ErrNonStandardRelease reports a Release value that cannot be bumped.
	ErrNonStandardRelease = errors.New(
		`non-standard Release value cannot be auto-bumped; set 'release.calculation = "manual"' ` +
			`and add a "spec-set-tag" overlay for the Release tag if needed`)
)

var (
	// autoreleaseRE detects %autorelease, %{autorelease}, %{?autorelease}
	// and %{autorelease <args>} anywhere in a value.
	autoreleaseRE = regexp.MustCompile(`%(\{\??autorelease($|[}\s])|autorelease($|\s))`)
	// staticReleaseRE is an integer optionally followed by %{?dist} or %{dist}.
	staticReleaseRE = regexp.MustCompile(`^(\d+)(%\{\??dist\})?$`)
)

// UsesAutorelease reports whether a Release value invokes %autorelease.
func UsesAutorelease(release string) bool { return autoreleaseRE.MatchString(release) }

// BumpStaticRelease adds n to a Release value of the form N, N%{?dist} or
// N%{dist}, keeping the suffix.
func BumpStaticRelease(release string, n int) (string, error) {
	m := staticReleaseRE.FindStringSubmatch(release)
	if m == nil {
		return "", fmt.Errorf("release value %#q does not start with an integer: %w", release, ErrNonStandardRelease)
	}

	current, err := strconv.Atoi(m[1])
	if err != nil {
		return "", fmt.Errorf("release value %#q: %w", release, ErrNonStandardRelease)
	}

	return strconv.Itoa(current+n) + m[2], nil
}

// BumpRelease adds n to the main package's static release: it reads the last
// main-package Release tag and, unless it uses %autorelease, rewrites every
// main-package Release tag (UpdateTag) to the bumped value. A %autorelease
// value is left alone, or is an error when strict (release.calculation
// "static" as opposed to "auto"). It reports whether the spec changed.
func (s *Spec) BumpRelease(n int, strict bool) (bool, error) {
	release, ok := s.LastTagValue("", "Release")
	if !ok {
		return false, fmt.Errorf("tag %#q not found in spec: %w", "Release", ErrNoSuchTag)
	}

	if UsesAutorelease(release) {
		if strict {
			return false, ErrAutorelease
		}

		return false, nil
	}

	bumped, err := BumpStaticRelease(release, n)
	if err != nil {
		return false, err
	}

	return true, s.UpdateTag("", "Release", bumped)
}
