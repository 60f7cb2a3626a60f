package config

import (
	"strconv"
	"strings"

	"github.com/pelletier/go-toml/v2/unstable"
)

// Position is a 1-based line and column in a file.
type Position struct {
	Line, Column int
}

// keyIndex maps dotted key paths of a TOML document to where they are defined.
// Array elements (array tables and inline arrays of tables) appear as decimal
// indexes in the path, e.g. "components\x00curl\x00overlays\x002\x00regex".
type keyIndex map[string]Position

func joinPath(path []string) string { return strings.Join(path, "\x00") }

// indexKeys parses doc and records the position of every key it defines.
// An array table's elements are recorded at their own headers, and a table
// header below one (`[a.overlays.metadata]`) belongs to its latest element.
// Parse errors are ignored: the index then covers what was read before them.
func indexKeys(doc []byte) keyIndex {
	idx := keyIndex{}
	arrays := map[string]int{} // array table path → elements so far
	var p unstable.Parser
	p.Reset(doc)
	var table []string
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.Table:
			table, _ = idx.addHeader(&p, e.Key(), arrays)
		case unstable.ArrayTable:
			var at Position
			table, at = idx.addHeader(&p, e.Key(), arrays)
			k := joinPath(table)
			n := arrays[k]
			arrays[k] = n + 1
			table = append(table, strconv.Itoa(n))
			idx.set(table, at)
		case unstable.KeyValue:
			idx.addKeyValue(&p, table, e)
		}
	}
	return idx
}

// addHeader records a table header's key like addKey, with the latest
// element's index after every prefix that names an array table; it returns
// the path and the position of the key's last part.
func (idx keyIndex) addHeader(p *unstable.Parser, it unstable.Iterator, arrays map[string]int) ([]string, Position) {
	var path []string
	var at Position
	for it.Next() {
		if n, ok := arrays[joinPath(path)]; ok && len(path) > 0 {
			path = append(path, strconv.Itoa(n-1))
		}
		node := it.Node()
		path = append(path, string(node.Data))
		s := p.Shape(node.Raw).Start
		at = Position{Line: s.Line, Column: s.Column}
		idx.set(path, at)
	}
	return path, at
}

func (idx keyIndex) set(path []string, pos Position) {
	k := joinPath(path)
	if _, ok := idx[k]; !ok {
		idx[k] = pos
	}
}

// addKey records every prefix of a (dotted) key below base and returns the full path.
func (idx keyIndex) addKey(p *unstable.Parser, base []string, it unstable.Iterator) []string {
	path := append([]string(nil), base...)
	for it.Next() {
		n := it.Node()
		path = append(path, string(n.Data))
		s := p.Shape(n.Raw).Start
		idx.set(path, Position{Line: s.Line, Column: s.Column})
	}
	return path
}

func (idx keyIndex) addKeyValue(p *unstable.Parser, base []string, kv *unstable.Node) {
	path := idx.addKey(p, base, kv.Key())
	idx.addValue(p, path, kv.Value())
}

func (idx keyIndex) addValue(p *unstable.Parser, path []string, v *unstable.Node) {
	switch v.Kind {
	case unstable.InlineTable:
		it := v.Children()
		for it.Next() {
			idx.addKeyValue(p, path, it.Node())
		}
	case unstable.Array:
		it := v.Children()
		for i := 0; it.Next(); i++ {
			el := it.Node()
			elPath := append(append([]string(nil), path...), strconv.Itoa(i))
			if el.Raw.Length > 0 {
				s := p.Shape(el.Raw).Start
				idx.set(elPath, Position{Line: s.Line, Column: s.Column})
			} else {
				idx.set(elPath, idx[joinPath(path)])
			}
			idx.addValue(p, elPath, el)
		}
	}
}

// lookup returns the position of the longest defined prefix of path.
func (idx keyIndex) lookup(path []string) (Position, bool) {
	for n := len(path); n > 0; n-- {
		if pos, ok := idx[joinPath(path[:n])]; ok {
			return pos, true
		}
	}
	return Position{}, false
}
