package macro

import "strings"

// rpm 4.18 runs Lua 5.4, gopher-lua is Lua 5.1. Two 5.4 behaviours that
// Fedora's macros and specs rely on are obtained by rewriting the source
// before it is compiled, keeping line numbers:
//
//   - floor division: "a // b" becomes "math.floor((a) / (b))" when both
//     operands are simple (names, fields, calls, literals, parentheses) and
//     their neighbours leave no doubt about precedence; other uses stay a
//     syntax error.
//   - numeric for bounds given as strings ("for i = 1, rpm.expand('%#')")
//     are converted as Lua 5.4 does: every bound that is not a number
//     literal goes through tonumber.
//
// Lua 5.4's integer/float distinction (7 // 2.0 prints 3.0) is not
// modelled: numbers print as gopher-lua prints them.

// luaTok is a token of Lua source: kind is 'n' (name or keyword), '0'
// (number), 's' (string) or 'p' (punctuation); text is the token.
type luaTok struct {
	kind       byte
	text       string
	start, end int
}

// luaCompat rewrites src for the Lua 5.4 behaviours above.
func luaCompat(src string) string {
	if !strings.Contains(src, "for") && !strings.Contains(src, "//") {
		return src
	}
	src = wrapForBounds(src)
	for {
		out, ok := rewriteFloorDiv(src)
		if !ok {
			return src
		}
		src = out
	}
}

// wrapForBounds passes the bounds of numeric for loops to tonumber.
func wrapForBounds(src string) string {
	toks := lexLua(src)
	var b strings.Builder
	last := 0
	for i := 0; i+2 < len(toks); i++ {
		if toks[i].text != "for" || toks[i+1].kind != 'n' || toks[i+2].text != "=" {
			continue
		}
		for _, e := range forBounds(toks, i+3) {
			if e[1]-e[0] == 1 && toks[e[0]].kind == '0' {
				continue
			}
			b.WriteString(src[last:toks[e[0]].start])
			b.WriteString("tonumber(")
			b.WriteString(src[toks[e[0]].start:toks[e[1]-1].end])
			b.WriteString(")")
			last = toks[e[1]-1].end
		}
	}
	if last == 0 {
		return src
	}
	b.WriteString(src[last:])
	return b.String()
}

// forBounds splits the tokens from i up to the "do" of a numeric for into
// its comma-separated expressions, as [start, end) token ranges; it returns
// nil when the header is not well formed.
func forBounds(toks []luaTok, i int) [][2]int {
	var out [][2]int
	depth, start := 0, i
	for j := i; j < len(toks); j++ {
		switch t := toks[j].text; {
		case t == "(" || t == "[" || t == "{":
			depth++
		case t == ")" || t == "]" || t == "}":
			depth--
		case depth == 0 && (t == "," || t == "do"):
			if j == start {
				return nil
			}
			out = append(out, [2]int{start, j})
			if t == "do" {
				return out
			}
			start = j + 1
		}
		if depth < 0 {
			return nil
		}
	}
	return nil
}

// binaryBefore are the tokens that may precede the left operand of a
// floor division without binding tighter than it.
var binaryBefore = map[string]bool{
	"(": true, ",": true, "=": true, "==": true, "~=": true, "<": true, ">": true, "<=": true,
	">=": true, "+": true, "..": true, "{": true, "[": true, ";": true, "return": true,
	"and": true, "or": true, "then": true, "do": true, "else": true, "in": true,
}

// rewriteFloorDiv rewrites the first floor division of src; ok is false
// when there is none it can rewrite.
func rewriteFloorDiv(src string) (string, bool) {
	toks := lexLua(src)
	for i, t := range toks {
		if t.text != "//" {
			continue
		}
		l := operandStart(toks, i-1)
		if l > 0 && isUnary(toks, l-1) {
			l--
		}
		r := operandEnd(toks, i+1)
		if l < 0 || r < 0 || !precedesOperand(toks, l) || r+1 < len(toks) && toks[r+1].text == "^" {
			continue
		}
		return src[:toks[l].start] + "math.floor((" + src[toks[l].start:t.start] + ") / (" +
			src[t.end:toks[r].end] + "))" + src[toks[r].end:], true
	}
	return src, false
}

// isUnary reports whether toks[i] is a unary operator (which binds more
// tightly than a floor division).
func isUnary(toks []luaTok, i int) bool {
	switch toks[i].text {
	case "-":
		return i == 0 || !endsOperand(toks[i-1])
	case "#", "not":
		return true
	}
	return false
}

// precedesOperand reports whether the token before toks[l] leaves the
// operand starting there to a floor division.
func precedesOperand(toks []luaTok, l int) bool {
	return l == 0 || binaryBefore[toks[l-1].text] || toks[l-1].text == "-" && !isUnary(toks, l-1)
}

// endsOperand reports whether t can end an expression.
func endsOperand(t luaTok) bool {
	return t.kind == '0' || t.kind == 's' || t.text == ")" || t.text == "]" || t.text == "}" ||
		t.kind == 'n' && !luaKeywords[t.text] || t.text == "end"
}

// operandStart returns the index of the first token of the simple
// expression ending at toks[i], or -1.
func operandStart(toks []luaTok, i int) int {
	for i >= 0 {
		t := toks[i]
		switch {
		case t.kind == '0' || t.kind == 's':
			return i
		case t.text == ")" || t.text == "]":
			open := openTok(toks, i)
			if open < 0 {
				return -1
			}
			if open > 0 && (toks[open-1].kind == 'n' && !luaKeywords[toks[open-1].text] || toks[open-1].text == ")" || toks[open-1].text == "]") {
				i = open - 1
				continue
			}
			return open
		case t.kind == 'n' && !luaKeywords[t.text]:
			if i >= 2 && (toks[i-1].text == "." || toks[i-1].text == ":") {
				i -= 2
				continue
			}
			return i
		default:
			return -1
		}
	}
	return -1
}

// operandEnd returns the index of the last token of the simple expression
// (with an optional unary minus) starting at toks[i], or -1.
func operandEnd(toks []luaTok, i int) int {
	if i < len(toks) && toks[i].text == "-" {
		i++
	}
	if i >= len(toks) {
		return -1
	}
	switch t := toks[i]; {
	case t.kind == '0' || t.kind == 's':
		return i
	case t.text == "(":
		i = closeTok(toks, i)
	case t.kind != 'n' || luaKeywords[t.text]:
		return -1
	}
	for i >= 0 && i+1 < len(toks) {
		switch toks[i+1].text {
		case ".", ":":
			if i+2 >= len(toks) || toks[i+2].kind != 'n' {
				return -1
			}
			i += 2
		case "(", "[":
			i = closeTok(toks, i+1)
		default:
			return i
		}
	}
	return i
}

var luaBrackets = map[string]string{"(": ")", "[": "]", "{": "}"}

// closeTok returns the index of the bracket closing toks[i], or -1.
func closeTok(toks []luaTok, i int) int {
	open, depth := toks[i].text, 0
	for j := i; j < len(toks); j++ {
		switch toks[j].text {
		case open:
			depth++
		case luaBrackets[open]:
			if depth--; depth == 0 {
				return j
			}
		}
	}
	return -1
}

// openTok returns the index of the bracket opening toks[i], or -1.
func openTok(toks []luaTok, i int) int {
	close, open := toks[i].text, "("
	if close == "]" {
		open = "["
	}
	depth := 0
	for j := i; j >= 0; j-- {
		switch toks[j].text {
		case close:
			depth++
		case open:
			if depth--; depth == 0 {
				return j
			}
		}
	}
	return -1
}

// luaKeywords are Lua's reserved words.
var luaKeywords = map[string]bool{
	"and": true, "break": true, "do": true, "else": true, "elseif": true, "end": true,
	"false": true, "for": true, "function": true, "if": true, "in": true, "local": true,
	"nil": true, "not": true, "or": true, "repeat": true, "return": true, "then": true,
	"true": true, "until": true, "while": true,
}

// luaPunct are Lua's multi-character operators, longest first.
var luaPunct = []string{"...", "..", "==", "~=", "<=", ">=", "//"}

// lexLua splits Lua source into tokens, skipping comments and blanks.
func lexLua(src string) []luaTok {
	var toks []luaTok
	for i := 0; i < len(src); {
		c := src[i]
		start := i
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
			continue
		case strings.HasPrefix(src[i:], "--"):
			if n := longBracket(src[i+2:]); n > 0 {
				i += 2 + n
			} else if j := strings.IndexByte(src[i:], '\n'); j >= 0 {
				i += j
			} else {
				i = len(src)
			}
			continue
		case c == '"' || c == '\'':
			i++
			for i < len(src) && src[i] != c && src[i] != '\n' {
				if src[i] == '\\' {
					i++
				}
				i++
			}
			i = min(i+1, len(src))
			toks = append(toks, luaTok{'s', src[start:i], start, i})
			continue
		case c == '[' && longBracket(src[i:]) > 0:
			i += longBracket(src[i:])
			toks = append(toks, luaTok{'s', src[start:i], start, i})
			continue
		case isAlpha(c) || c == '_':
			for i < len(src) && (isAlnum(src[i]) || src[i] == '_') {
				i++
			}
			toks = append(toks, luaTok{'n', src[start:i], start, i})
			continue
		case isDigit(c) || c == '.' && i+1 < len(src) && isDigit(src[i+1]):
			for i < len(src) && (isAlnum(src[i]) || src[i] == '.' || (src[i] == '-' || src[i] == '+') && (src[i-1] == 'e' || src[i-1] == 'E')) {
				i++
			}
			toks = append(toks, luaTok{'0', src[start:i], start, i})
			continue
		}
		n := 1
		for _, p := range luaPunct {
			if strings.HasPrefix(src[i:], p) {
				n = len(p)
				break
			}
		}
		i += n
		toks = append(toks, luaTok{'p', src[start:i], start, i})
	}
	return toks
}

// longBracket returns the length of the long bracket string or comment
// ([[...]], [==[...]==]) at the start of s, or 0.
func longBracket(s string) int {
	if !strings.HasPrefix(s, "[") {
		return 0
	}
	level := 1
	for level < len(s) && s[level] == '=' {
		level++
	}
	if level >= len(s) || s[level] != '[' {
		return 0
	}
	closing := "]" + strings.Repeat("=", level-1) + "]"
	if j := strings.Index(s[level+1:], closing); j >= 0 {
		return level + 1 + j + len(closing)
	}
	return len(s)
}
