package macro

import (
	"strings"
	"sync"
)

// pureOutputs caches what pure %{lua:} chunks print, keyed by their code.
var pureOutputs sync.Map // string -> string

// luaKeywords are Lua's reserved words.
var luaKeywords = map[string]bool{
	"and": true, "break": true, "do": true, "else": true, "elseif": true, "end": true,
	"false": true, "for": true, "function": true, "if": true, "in": true, "local": true,
	"nil": true, "not": true, "or": true, "repeat": true, "return": true, "then": true,
	"true": true, "until": true, "while": true,
}

// pureGlobals are globals whose use keeps a chunk's output a function of its
// code alone.
var pureGlobals = map[string]bool{
	"print": true, "tostring": true, "tonumber": true, "string": true, "table": true,
	"ipairs": true, "pairs": true, "type": true, "select": true,
}

// isPureChunk reports whether a chunk's output depends only on its text: it
// uses only keywords, pure library globals and names it declares itself
// (locals and loop variables), and assigns no global. It is conservative:
// any doubt makes a chunk impure.
func isPureChunk(code string) bool {
	if strings.Contains(code, "random") {
		return false
	}
	declared := map[string]bool{}
	toks := luaNames(code)
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		switch {
		case t.name == "local" || t.name == "for":
			for j := i + 1; j < len(toks) && !luaKeywords[toks[j].name]; j++ {
				declared[toks[j].name] = true
				if !toks[j].comma {
					break
				}
			}
		case luaKeywords[t.name] || t.field || declared[t.name] || pureGlobals[t.name]:
		default:
			return false
		}
	}
	return true
}

type luaName struct {
	name  string
	field bool // preceded by . or :
	comma bool // followed by a comma (name lists)
}

// luaNames lists the identifiers of a chunk, skipping strings and comments.
func luaNames(code string) []luaName {
	var out []luaName
	for i := 0; i < len(code); {
		c := code[i]
		switch {
		case c == '-' && strings.HasPrefix(code[i:], "--"):
			if j := strings.IndexByte(code[i:], '\n'); j >= 0 {
				i += j
			} else {
				i = len(code)
			}
		case c == '"' || c == '\'':
			j := i + 1
			for j < len(code) && code[j] != c {
				if code[j] == '\\' {
					j++
				}
				j++
			}
			i = j + 1
		case c == '[' && strings.HasPrefix(code[i:], "[["):
			if j := strings.Index(code[i:], "]]"); j >= 0 {
				i += j + 2
			} else {
				i = len(code)
			}
		case isAlpha(c) || c == '_':
			j := i
			for j < len(code) && (isAlnum(code[j]) || code[j] == '_') {
				j++
			}
			prev := strings.TrimRight(code[:i], " \t\n")
			field := strings.HasSuffix(prev, ".") && !strings.HasSuffix(prev, "..") || strings.HasSuffix(prev, ":")
			next := strings.TrimLeft(code[j:], " \t\n")
			out = append(out, luaName{name: code[i:j], field: field, comma: strings.HasPrefix(next, ",")})
			i = j
		case isDigit(c):
			for i < len(code) && (isAlnum(code[i]) || code[i] == '.') {
				i++
			}
		default:
			i++
		}
	}
	return out
}
