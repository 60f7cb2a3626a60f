package autospec

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file holds the few Python string semantics the output depends on.

// isSpace reports whether Python's str.isspace (and the `\s` of a str
// regular expression) accepts r: Go's Unicode white space plus the ASCII
// separators U+001C..U+001F.
func isSpace(r rune) bool {
	return unicode.IsSpace(r) || r >= 0x1c && r <= 0x1f
}

// strip is Python's str.strip() without arguments.
func strip(s string) string { return strings.TrimFunc(s, isSpace) }

// lstrip is Python's str.lstrip() without arguments.
func lstrip(s string) string { return strings.TrimLeftFunc(s, isSpace) }

// startsWithSpace reports whether s begins with a Python white-space character.
func startsWithSpace(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return s != "" && isSpace(r)
}

// isWordChar is `\w` of a Python str regular expression: letters, numbers
// and the underscore.
func isWordChar(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsNumber(r) || r == '_'
}

// digitValue returns the value of a Unicode decimal digit (`\d`), which
// Python's int() accepts like an ASCII one.
func digitValue(r rune) (int, bool) {
	if r >= '0' && r <= '9' {
		return int(r - '0'), true
	}
	for _, rg := range unicode.Nd.R16 {
		if r >= rune(rg.Lo) && r <= rune(rg.Hi) {
			return int(r-rune(rg.Lo)) % 10, true // every range is whole runs of ten from a zero
		}
	}
	for _, rg := range unicode.Nd.R32 {
		if r >= rune(rg.Lo) && r <= rune(rg.Hi) {
			return int(r-rune(rg.Lo)) % 10, true
		}
	}
	return 0, false
}

// decode turns bytes into text as Python's bytes.decode("utf-8",
// "replace") does: each maximal ill-formed subsequence becomes one U+FFFD.
func decode(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	var sb strings.Builder
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		if r == utf8.RuneError && n == 1 {
			n = invalidLen(b)
		}
		sb.WriteRune(r)
		b = b[n:]
	}
	return sb.String()
}

// invalidLen is the length of the maximal prefix of b that starts a
// well-formed UTF-8 sequence but does not complete one (at least 1).
func invalidLen(b []byte) int {
	lo, hi := byte(0x80), byte(0xbf)
	var need int
	switch c := b[0]; {
	case c >= 0xc2 && c <= 0xdf:
		need = 1
	case c == 0xe0:
		need, lo = 2, 0xa0
	case c == 0xed:
		need, hi = 2, 0x9f
	case c >= 0xe1 && c <= 0xef:
		need = 2
	case c == 0xf0:
		need, lo = 3, 0x90
	case c == 0xf4:
		need, hi = 3, 0x8f
	case c >= 0xf1 && c <= 0xf3:
		need = 3
	default:
		return 1
	}
	n := 1
	for n <= need && n < len(b) && b[n] >= lo && b[n] <= hi {
		n++
		lo, hi = 0x80, 0xbf
	}
	return n
}
