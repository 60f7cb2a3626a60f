package macro

import "strings"

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isAlpha(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func isAlnum(c byte) bool { return isDigit(c) || isAlpha(c) }

// Vercmp compares two version strings with rpm's ordering (segments of digits
// and letters, "~" sorting before anything, "^" after the base version). It
// returns -1, 0 or 1.
func Vercmp(a, b string) int {
	if a == b {
		return 0
	}
	for {
		a = trimSeparators(a)
		b = trimSeparators(b)
		if r, done := compareMarkers(&a, &b); done {
			if r != 0 {
				return r
			}
			continue
		}
		if a == "" || b == "" {
			break
		}
		numeric := isDigit(a[0])
		sa, ra := segment(a, numeric)
		sb, rb := segment(b, numeric)
		if sb == "" {
			if numeric {
				return 1
			}
			return -1
		}
		if r := compareSegment(sa, sb, numeric); r != 0 {
			return r
		}
		a, b = ra, rb
	}
	switch {
	case a == "" && b == "":
		return 0
	case a == "":
		return -1
	}
	return 1
}

// trimSeparators drops leading characters that are neither alphanumeric nor
// a ~ or ^ marker.
func trimSeparators(s string) string {
	i := 0
	for i < len(s) && !isAlnum(s[i]) && s[i] != '~' && s[i] != '^' {
		i++
	}
	return s[i:]
}

// compareMarkers handles leading ~ and ^. done reports that the markers
// decided the comparison (r != 0) or were consumed (r == 0).
func compareMarkers(a, b *string) (r int, done bool) {
	ta, tb := strings.HasPrefix(*a, "~"), strings.HasPrefix(*b, "~")
	if ta || tb {
		switch {
		case !tb:
			return -1, true
		case !ta:
			return 1, true
		}
		*a, *b = (*a)[1:], (*b)[1:]
		return 0, true
	}
	ca, cb := strings.HasPrefix(*a, "^"), strings.HasPrefix(*b, "^")
	if ca || cb {
		switch {
		case ca && cb:
			*a, *b = (*a)[1:], (*b)[1:]
			return 0, true
		case ca:
			if *b == "" {
				return 1, true
			}
			return -1, true
		default:
			if *a == "" {
				return -1, true
			}
			return 1, true
		}
	}
	return 0, false
}

// segment splits off the leading run of digits (numeric) or letters.
func segment(s string, numeric bool) (string, string) {
	i := 0
	for i < len(s) && (numeric && isDigit(s[i]) || !numeric && isAlpha(s[i])) {
		i++
	}
	return s[:i], s[i:]
}

func compareSegment(a, b string, numeric bool) int {
	if numeric {
		a = strings.TrimLeft(a, "0")
		b = strings.TrimLeft(b, "0")
		if len(a) != len(b) {
			if len(a) > len(b) {
				return 1
			}
			return -1
		}
	}
	return strings.Compare(a, b)
}
