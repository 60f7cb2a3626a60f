package graph

import "strings"

// Kinds of requirement that no component's spec satisfies. A capability
// with a namespace, such as pkgconfig(glib-2.0) or perl(Carp), has its
// namespace as kind: built packages generate most of them.
const (
	KindName   = "name"       // a plain name no package or Provides has
	KindFile   = "file"       // a path: only built packages' file lists have it
	KindSoname = "soname"     // a shared library, e.g. libz.so.1()(64bit)
	KindMacro  = "unexpanded" // still holds a macro the spec did not define
)

// capabilities returns the capability names that can satisfy dep: the name
// of a simple dependency without its version, or for a rich dependency every
// operand that can be required — alternatives of "or" included, conditions
// of "if" and "unless" and the right side of "without" left out (see
// richNames).
func capabilities(dep string) []string {
	dep = strings.TrimSpace(dep)
	if strings.HasPrefix(dep, "(") {
		return richNames(richTokens(dep))
	}
	name, _, _ := strings.Cut(dep, " ")
	return []string{stripISA(name)}
}

// isaSuffixes end names that %{?_isa} qualified, e.g. glibc-devel(x86-64).
var isaSuffixes = []string{"(x86-64)", "(x86-32)", "(aarch-64)", "(ppc-64)", "(s390-64)", "(riscv-64)"}

// stripISA removes an architecture qualifier from a name.
func stripISA(name string) string {
	for _, s := range isaSuffixes {
		if base, ok := strings.CutSuffix(name, s); ok && base != "" {
			return base
		}
	}
	return name
}

// richTokens splits a rich dependency into "(", ")" and words; the
// parentheses of a capability such as perl(Carp) stay in its word.
func richTokens(s string) []string {
	var toks []string
	for i := 0; i < len(s); {
		switch c := s[i]; {
		case c == ' ' || c == '\t' || c == ',':
			i++
		case c == '(' || c == ')':
			toks = append(toks, s[i:i+1])
			i++
		default:
			j, depth := i, 0
			for j < len(s) && s[j] != ' ' && s[j] != '\t' && (depth > 0 || s[j] != ')') {
				switch s[j] {
				case '(':
					depth++
				case ')':
					depth--
				}
				j++
			}
			toks = append(toks, s[i:j])
			i = j
		}
	}
	return toks
}

// droppedAfter are the rich operators whose next operand is a condition or
// an exclusion, not something required.
var droppedAfter = map[string]bool{"if": true, "unless": true, "without": true}

// richOperators are the boolean operators of rich dependencies.
var richOperators = map[string]bool{"and": true, "or": true, "if": true, "else": true, "with": true, "without": true, "unless": true}

// richNames walks the tokens of a rich dependency iteratively and returns
// its required operands: every name that is not a version, comparison or
// operator, unless it follows an operator of droppedAfter (a parenthesised
// operand there is dropped as a whole).
func richNames(toks []string) []string {
	var names []string
	drop := -1 // the depth whose current operand is dropped, or -1
	depth := 0
	afterName := false // the previous token was a name: a comparison may follow
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		switch {
		case t == "(":
			depth++
			afterName = false
		case t == ")":
			depth--
			if drop == depth {
				drop = -1
			}
		case richOperators[t]:
			afterName = false
			switch {
			case drop >= 0 || !droppedAfter[t] || i+1 == len(toks):
			case toks[i+1] == "(":
				drop = depth // until the group closes
			default:
				i = skipOperand(toks, i+1)
			}
		case afterName && isComparison(t):
			i++ // the version
		default:
			if drop < 0 {
				names = append(names, stripISA(t))
			}
			afterName = true
		}
	}
	return names
}

// skipOperand returns the index of the last token of the simple operand
// starting at i (a name and an optional comparison with its version).
func skipOperand(toks []string, i int) int {
	if i+2 < len(toks) && isComparison(toks[i+1]) {
		return i + 2
	}
	return i
}

func isComparison(s string) bool {
	switch s {
	case "<", ">", "<=", ">=", "=", "==":
		return true
	}
	return false
}

// kindOf classifies a capability no component provides.
func kindOf(name string) string {
	switch {
	case strings.Contains(name, "%"):
		return KindMacro
	case strings.HasPrefix(name, "/"):
		return KindFile
	case strings.Contains(name, ".so") && strings.Contains(name, "("):
		return KindSoname
	}
	if ns, _, ok := strings.Cut(name, "("); ok && ns != "" && strings.HasSuffix(name, ")") {
		return ns
	}
	return KindName
}
