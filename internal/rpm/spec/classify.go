package spec

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// headerKind groups section keywords by how their header is interpreted.
type headerKind uint8

const (
	kindNone      headerKind = iota // not a section header
	kindPackage                     // %package: carries tags and a qualifier
	kindQualified                   // scripts, %description, %files: carry a qualifier
	kindPlain                       // %changelog, %patchlist, %sourcelist: never qualified
)

// sectionKeywords maps each lowercased section keyword to its kind.
var sectionKeywords = map[string]headerKind{
	"%package":                kindPackage,
	"%prep":                   kindQualified,
	"%conf":                   kindQualified,
	"%build":                  kindQualified,
	"%install":                kindQualified,
	"%check":                  kindQualified,
	"%clean":                  kindQualified,
	"%generate_buildrequires": kindQualified,
	"%pre":                    kindQualified,
	"%post":                   kindQualified,
	"%preun":                  kindQualified,
	"%postun":                 kindQualified,
	"%pretrans":               kindQualified,
	"%posttrans":              kindQualified,
	"%preuntrans":             kindQualified,
	"%postuntrans":            kindQualified,
	"%verify":                 kindQualified,
	"%triggerin":              kindQualified,
	"%triggerun":              kindQualified,
	"%triggerprein":           kindQualified,
	"%triggerpostun":          kindQualified,
	"%filetriggerin":          kindQualified,
	"%filetriggerun":          kindQualified,
	"%filetriggerpostun":      kindQualified,
	"%transfiletriggerin":     kindQualified,
	"%transfiletriggerun":     kindQualified,
	"%transfiletriggerpostun": kindQualified,
	"%description":            kindQualified,
	"%files":                  kindQualified,
	"%changelog":              kindPlain,
	"%patchlist":              kindPlain,
	"%sourcelist":             kindPlain,
}

// longestKeyword bounds the first-token length worth looking up.
const longestKeyword = len("%transfiletriggerpostun")

// headerOf reports whether text is a section header and, if so, its kind and
// its first token as written (the section name). A line whose first character
// is '#' is a comment and never a header.
func headerOf(text string) (headerKind, string) {
	if text == "" || text[0] == '#' {
		return kindNone, ""
	}

	if text[0] != '%' {
		if text[0] < utf8.RuneSelf && !asciiSpace(text[0]) {
			return kindNone, "" // fast path: a plain first character
		}

		text = strings.TrimLeftFunc(text, unicode.IsSpace)
		if !strings.HasPrefix(text, "%") {
			return kindNone, ""
		}
	}

	token := text
	if end := strings.IndexFunc(text, unicode.IsSpace); end >= 0 {
		token = text[:end]
	}

	return keywordKind(token), token
}

// keywordKind looks token up in sectionKeywords after lowercasing it like
// strings.ToLower (without allocating for ASCII tokens).
func keywordKind(token string) headerKind {
	var buf [longestKeyword]byte

	if len(token) > len(buf) {
		return sectionKeywords[strings.ToLower(token)]
	}

	for i := range len(token) {
		if token[i] >= utf8.RuneSelf {
			return sectionKeywords[strings.ToLower(token)] // the Kelvin sign lowercases to 'k'
		}

		buf[i] = toLowerASCII(token[i])
	}

	return sectionKeywords[string(buf[:len(token)])]
}

// asciiSpace reports whether c is ASCII white space as unicode.IsSpace sees it.
func asciiSpace(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\v', '\f', '\r':
		return true
	}

	return false
}

// toLowerASCII lowercases an ASCII letter and leaves other bytes alone.
func toLowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}

	return c
}

// qualifierOf returns the sub-package qualifier of a header line as written:
// "-n X" (absolute name) wins over the first plain token (suffix name); "--"
// ends the scan; -f, -p, -l and -P skip their argument; other flags are
// skipped. %changelog, %patchlist and %sourcelist are never qualified.
func qualifierOf(kind headerKind, text string) string {
	if kind == kindPlain {
		return ""
	}

	tokens := strings.Fields(text)
	absolute, suffix := "", ""

	for i := 1; i < len(tokens); i++ {
		switch tok := tokens[i]; {
		case tok == "--":
			i = len(tokens)
		case tok == "-n":
			if i+1 < len(tokens) {
				i++
				absolute = tokens[i]
			}
		case tok == "-f" || tok == "-p" || tok == "-l" || tok == "-P":
			i++
		case strings.HasPrefix(tok, "-"):
		case suffix == "":
			suffix = tok
		}
	}

	if absolute != "" {
		return absolute
	}

	return suffix
}

// regexpSpace reports whether c belongs to RE2's \s class.
func regexpSpace(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\f', '\r':
		return true
	}

	return false
}

// parseTag splits a tag line "Name: value" (after trimming the line: one or
// more characters that are neither RE2 space nor ':', a colon, optional
// spaces, the value). Comment lines (first character '#') are never tags.
func parseTag(text string) (name, value string, ok bool) {
	if text != "" && text[0] == '#' {
		return "", "", false
	}

	t := strings.TrimSpace(text)

	i := 0
	for i < len(t) && t[i] != ':' && !regexpSpace(t[i]) {
		i++
	}

	if i == 0 || i == len(t) || t[i] != ':' {
		return "", "", false
	}

	j := i + 1
	for j < len(t) && regexpSpace(t[j]) {
		j++
	}

	return t[:i], t[j:], true
}

// tagFamily is a tag's lowercased name without trailing digits
// (Source9999 -> source); an all-digit name is its own family.
func tagFamily(tag string) string {
	lower := strings.ToLower(tag)

	trimmed := strings.TrimRight(lower, "0123456789")
	if trimmed == "" {
		return lower
	}

	return trimmed
}

// patchNumber returns N for a numbered patch tag "PatchN" (case-insensitive,
// N parsed as a decimal integer); bare "Patch" and macro suffixes do not count.
func patchNumber(tag string) (int, bool) {
	if len(tag) <= len("patch") || !strings.EqualFold(tag[:len("patch")], "patch") {
		return 0, false
	}

	n, err := strconv.Atoi(tag[len("patch"):])

	return n, err == nil
}

// condKind classifies conditional directives.
type condKind uint8

const (
	condNone   condKind = iota
	condOpen            // %if %ifarch %ifnarch %ifos %ifnos
	condBranch          // %else %elif %elifarch %elifnarch %elifos %elifnos
	condClose           // %endif
)

// conditionalOf classifies a line by its first token, case-insensitively;
// lines starting with '#' after trimming are ignored.
func conditionalOf(text string) condKind {
	t := strings.TrimSpace(text)
	if !strings.HasPrefix(t, "%") {
		return condNone
	}

	if end := strings.IndexFunc(t, unicode.IsSpace); end >= 0 {
		t = t[:end]
	}

	switch strings.ToLower(t) {
	case "%if", "%ifarch", "%ifnarch", "%ifos", "%ifnos":
		return condOpen
	case "%else", "%elif", "%elifarch", "%elifnarch", "%elifos", "%elifnos":
		return condBranch
	case "%endif":
		return condClose
	}

	return condNone
}

// depthChange is +1 for a conditional opener, -1 for %endif, else 0.
func depthChange(text string) int {
	switch conditionalOf(text) {
	case condOpen:
		return 1
	case condClose:
		return -1
	}

	return 0
}
