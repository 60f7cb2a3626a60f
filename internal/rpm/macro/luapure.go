package macro

import (
	"slices"
	"strings"
	"sync"

	lua "github.com/yuin/gopher-lua"
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

// pureTables are the pure globals that are tables: a chunk may only read
// their fields.
var pureTables = map[string]bool{"string": true, "table": true}

// isPureChunk reports whether a chunk's output depends only on its text and
// running it has no other effect: it uses only keywords, pure library
// globals and names it declares itself (locals and loop variables), assigns
// no global (proto is its compiled code) and only reads fields of library
// tables. It is conservative: any doubt makes a chunk impure.
func isPureChunk(code string, proto *lua.FunctionProto) bool {
	if strings.Contains(code, "random") || setsGlobal(proto) {
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
		case pureTables[t.name] && !t.field && !declared[t.name] && !fieldRead(code[t.end:]):
			return false
		case luaKeywords[t.name] || t.field || declared[t.name] || pureGlobals[t.name]:
		default:
			return false
		}
	}
	return true
}

// setsGlobal reports whether a function or any function it defines assigns
// a global variable.
func setsGlobal(p *lua.FunctionProto) bool {
	for _, inst := range p.Code {
		if int(inst>>26) == lua.OP_SETGLOBAL {
			return true
		}
	}
	return slices.ContainsFunc(p.FunctionPrototypes, setsGlobal)
}

// fieldRead reports whether s, the text after a table's name, reads a
// field of it (".name" or ":name") in a way that cannot be an assignment
// target: not followed by "=", "," or "[".
func fieldRead(s string) bool {
	s = strings.TrimLeft(s, " \t\n")
	if s == "" || s[0] != '.' && s[0] != ':' || strings.HasPrefix(s, "..") {
		return false
	}
	s = strings.TrimLeft(s[1:], " \t\n")
	i := 0
	for i < len(s) && (isAlnum(s[i]) || s[i] == '_') {
		i++
	}
	s = strings.TrimLeft(s[i:], " \t\n")
	return i > 0 && !strings.HasPrefix(s, ",") && !strings.HasPrefix(s, "[") &&
		(!strings.HasPrefix(s, "=") || strings.HasPrefix(s, "=="))
}

type luaName struct {
	end   int // offset just after the name
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
			out = append(out, luaName{end: j, name: code[i:j], field: field, comma: strings.HasPrefix(next, ",")})
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

// libEntry is one value a pure chunk may read: tbl[key] == value.
type libEntry struct {
	tbl   *lua.LTable
	key   string
	value lua.LValue
}

// snapshotLibs records the pure globals, the fields of the pure library
// tables and the string metatable's __index.
func (l *luaEnv) snapshotLibs() {
	G := l.L.G.Global
	l.libs, l.libSizes = l.libs[:0], map[*lua.LTable]int{}
	for name := range pureGlobals {
		v := G.RawGetString(name)
		l.libs = append(l.libs, libEntry{G, name, v})
		if t, ok := v.(*lua.LTable); ok && pureTables[name] {
			t.ForEach(func(k, v lua.LValue) {
				l.libs = append(l.libs, libEntry{t, k.String(), v})
				l.libSizes[t]++
			})
		}
	}
	if mt, ok := l.L.GetMetatable(lua.LString("")).(*lua.LTable); ok {
		l.libs = append(l.libs, libEntry{mt, "__index", mt.RawGetString("__index")})
	}
}

// pristine reports whether the Lua state still has the library values
// recorded by snapshotLibs, so that pure chunks print what they would print
// in a fresh state.
func (l *luaEnv) pristine() bool {
	for _, e := range l.libs {
		if e.tbl.RawGetString(e.key) != e.value {
			return false
		}
	}
	for t, n := range l.libSizes {
		size := 0
		t.ForEach(func(lua.LValue, lua.LValue) { size++ })
		if size != n {
			return false
		}
	}
	return true
}
