package macro

import (
	"strings"
	"sync"

	lua "github.com/yuin/gopher-lua"
)

// pureOutputs caches what pure %{lua:} chunks print, keyed by their code.
var pureOutputs sync.Map // string -> string

// pureGlobals are globals whose use keeps a chunk's output a function of its
// code alone.
var pureGlobals = map[string]bool{
	"print": true, "tostring": true, "tonumber": true, "string": true, "table": true,
	"ipairs": true, "pairs": true, "type": true, "select": true,
}

// tableFields are the global tables a classified chunk may use, and the
// one field it may read ("" for any).
var tableFields = map[string]string{"string": "", "table": "", "rpm": "expand"}

// chunkKind tells what a chunk's output depends on.
type chunkKind int

const (
	// impureChunk may depend on or change anything.
	impureChunk chunkKind = iota
	// readerChunk output depends on its code and on the macros it
	// expands through rpm.expand; it has no other effect.
	readerChunk
	// pureChunk output depends on its code alone.
	pureChunk
)

// classifyChunk tells what a chunk's output depends on (proto is its
// compiled code): a chunk is pure when it reads only pure library globals,
// assigns no global and only reads fields of library tables, a reader when
// it also reads rpm.expand. Both assume the libraries are intact (see
// pristine). It is conservative: any doubt makes a chunk impure.
func classifyChunk(code string, proto *lua.FunctionProto) chunkKind {
	read, set := globalsOf(proto, map[string]bool{})
	if set {
		return impureChunk
	}
	kind := pureChunk
	for name := range read {
		switch {
		case name == "rpm":
			kind = readerChunk
		case !pureGlobals[name]:
			return impureChunk
		}
	}
	for _, t := range luaNames(code) {
		if want, ok := tableFields[t.name]; ok && !t.field && !fieldRead(code[t.end:], want) {
			return impureChunk
		}
	}
	return kind
}

// globalsOf adds to read the globals a function and the functions it
// defines read, and reports whether they assign any.
func globalsOf(p *lua.FunctionProto, read map[string]bool) (map[string]bool, bool) {
	for _, inst := range p.Code {
		switch int(inst >> 26) {
		case lua.OP_SETGLOBAL:
			return read, true
		case lua.OP_GETGLOBAL:
			read[p.Constants[inst&0x3ffff].String()] = true
		}
	}
	for _, f := range p.FunctionPrototypes {
		if _, set := globalsOf(f, read); set {
			return read, true
		}
	}
	return read, false
}

// fieldRead reports whether s, the text after a table's name, reads a
// field of it (".name" or ":name"; name is want unless want is empty) in a
// way that cannot be an assignment target: not followed by "=", "," or "[".
func fieldRead(s, want string) bool {
	s = strings.TrimLeft(s, " \t\n")
	if s == "" || s[0] != '.' && s[0] != ':' || strings.HasPrefix(s, "..") {
		return false
	}
	s = strings.TrimLeft(s[1:], " \t\n")
	i := 0
	for i < len(s) && (isAlnum(s[i]) || s[i] == '_') {
		i++
	}
	field := s[:i]
	s = strings.TrimLeft(s[i:], " \t\n")
	return i > 0 && (want == "" || field == want) && !strings.HasPrefix(s, ",") && !strings.HasPrefix(s, "[") &&
		(!strings.HasPrefix(s, "=") || strings.HasPrefix(s, "=="))
}

type luaName struct {
	end   int // offset just after the name
	name  string
	field bool // preceded by . or :
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
			out = append(out, luaName{end: j, name: code[i:j], field: field})
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
		if t, ok := v.(*lua.LTable); ok {
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
