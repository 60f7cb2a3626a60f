package graph

import (
	"slices"
	"strings"
)

// The graph needs only a spec's preamble and %package sections, but
// evaluating a whole spec expands every build script, file list and
// changelog entry, which is most of the work. abridge blanks those bodies
// first, keeping each line that can change what follows:
//
//   - section markers, %if-family lines, macro definitions (%global,
//     %define, %undefine, %bcond…), %include and %{?…}/%{!?…} lines,
//     everywhere;
//   - in %description and %files bodies, also the macro calls that may
//     declare subpackages there: %{lua:…} blocks, macros named *pkg by
//     convention (%fontpkg, %pyproject_extras_subpkg) and the spec's own
//     macros (a %lang_subpkg it defines) — except %gopkg: it declares only
//     golang-*-devel packages, which no spec build-requires by name (their
//     golang(…) provides come from built files), and its Lua scans 10,000
//     macro names several times (50 ms a spec, 7 s over the corpus).
//
// Lines are blanked, not removed, so errors keep their line numbers; a
// spec the abridged text fails on is evaluated whole (see Evaluator).

// sectionKinds are the spec's section markers and how abridge treats
// their bodies.
var sectionKinds = map[string]bodyKind{"%package": bodyKept, "%description": bodyListing, "%files": bodyListing}

// dropped sections: scripts, scriptlets, the changelog and source lists.
var droppedSections = []string{"%prep", "%build", "%install", "%check", "%clean", "%conf", "%generate_buildrequires",
	"%changelog", "%sourcelist", "%patchlist", "%pre", "%post", "%preun", "%postun", "%pretrans", "%posttrans",
	"%preuntrans", "%postuntrans", "%verifyscript", "%triggerprein", "%triggerin", "%triggerun", "%triggerpostun",
	"%filetriggerin", "%filetriggerun", "%filetriggerpostun", "%transfiletriggerin", "%transfiletriggerun",
	"%transfiletriggerpostun"}

func init() {
	for _, s := range droppedSections {
		sectionKinds[s] = bodyScript
	}
}

type bodyKind int

const (
	bodyKept    bodyKind = iota // the preamble and %package
	bodyListing                 // %description, %files: text and file lists
	bodyScript                  // everything else
)

// alwaysKept are the directives kept in every section.
var alwaysKept = []string{"%if", "%ifarch", "%ifnarch", "%ifos", "%ifnos", "%elif", "%elifarch", "%elifos", "%else", "%endif",
	"%global", "%define", "%undefine", "%bcond", "%bcond_with", "%bcond_without", "%include"}

// abridged holds what abridge found.
type abridged struct {
	text []byte
	// dynamic is set when the spec has %generate_buildrequires: part of its
	// BuildRequires appear only when sources are unpacked.
	dynamic bool
}

// abridge blanks the bodies the graph does not need (see above).
func abridge(spec []byte) abridged {
	lines := strings.Split(string(spec), "\n")
	res := abridged{}
	kind := bodyKept
	own := map[string]bool{} // the macros the spec defines
	for i := 0; i < len(lines); {
		n := logicalLength(lines[i:])
		first := strings.TrimLeft(lines[i], " \t")
		word := directive(first)
		if word == "%global" || word == "%define" {
			own[definedName(first)] = true
		}
		if k, ok := sectionKinds[word]; ok {
			kind = k
			res.dynamic = res.dynamic || word == "%generate_buildrequires"
		} else if !keeps(kind, first, word, own) {
			for j := i; j < i+n; j++ {
				lines[j] = ""
			}
		}
		i += n
	}
	res.text = []byte(strings.Join(lines, "\n"))
	return res
}

// keeps reports whether a logical line starting with first, whose
// leading directive is word, stays in a body of kind.
func keeps(kind bodyKind, first, word string, own map[string]bool) bool {
	switch {
	case kind == bodyKept || slices.Contains(alwaysKept, word) || strings.HasPrefix(first, "%{?") || strings.HasPrefix(first, "%{!?"):
		return true
	case kind == bodyScript || word == "":
		return false
	}
	return word == "%lua" || strings.HasSuffix(word, "pkg") && word != "%gopkg" || own[word[1:]]
}

// directive is the macro a line starts with, as %name (also for %{name…}),
// or "" for text.
func directive(line string) string {
	rest, ok := strings.CutPrefix(line, "%")
	if !ok {
		return ""
	}
	rest = strings.TrimPrefix(rest, "{")
	end := 0
	for end < len(rest) && isNameChar(rest[end]) {
		end++
	}
	return "%" + rest[:end]
}

// definedName is the name a %global or %define line defines.
func definedName(line string) string {
	f := strings.Fields(line)
	if len(f) < 2 {
		return ""
	}
	name, _, _ := strings.Cut(f[1], "(")
	return name
}

// logicalLength is the number of physical lines of the logical line that
// starts lines: rpm joins lines while a %{, %( or %[ is open or a line ends
// with a backslash.
func logicalLength(lines []string) int {
	depth := 0
	for i, l := range lines {
		var cont bool
		depth, cont = scanOpen(l, depth)
		if !cont && depth == 0 {
			return i + 1
		}
	}
	return len(lines)
}

// scanOpen adds l's macro brackets to depth and reports whether l ends
// with a line-continuing backslash.
func scanOpen(l string, depth int) (int, bool) {
	for i := 0; i < len(l); i++ {
		switch c := l[i]; {
		case c == '\\':
			if i+1 == len(l) {
				return depth, true
			}
			i++
		case c == '%' && i+1 < len(l) && strings.IndexByte("{([", l[i+1]) >= 0:
			depth++
			i++
		case c == '%' && i+1 < len(l) && l[i+1] == '%':
			i++
		case depth > 0 && strings.IndexByte("{([", c) >= 0:
			depth++
		case depth > 0 && strings.IndexByte("})]", c) >= 0:
			depth--
		}
	}
	return depth, false
}

func isNameChar(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
