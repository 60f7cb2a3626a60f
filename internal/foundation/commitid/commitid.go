// Package commitid knows the shape of a git commit id as configuration and
// lock files may spell it: 7 to 40 hexadecimal digits (a full id, or an
// abbreviation used verbatim as a pin). Anything else, an option such as
// --upload-pack=… above all, never reaches a git command line.
package commitid

import "regexp"

var pattern = regexp.MustCompile(`^[0-9a-fA-F]{7,40}$`)

// Valid reports whether s has the shape of a commit id.
func Valid(s string) bool { return pattern.MatchString(s) }
