package config

import (
	"bytes"

	"github.com/pelletier/go-toml/v2/unstable"
)

// componentTexts cuts a configuration file into the raw TOML of each
// component it declares: the concatenation, in document order, of the
// tables headed [components.NAME...] / [[components.NAME...]]. Such a text
// decodes, on its own, to exactly that component: a table's keys belong to
// its header, and nothing outside a [components.NAME...] table can add to
// the component unless the file defines components through a root-level
// `components` key (inline table or dotted keys) or a bare [components]
// table. In those cases, or when the document does not parse, ok is false
// and the file is kept whole instead.
func componentTexts(doc []byte) (texts map[string][]byte, ok bool) {
	type chunk struct {
		start int
		owner string // component name, or "" for tables that are not components
	}
	var chunks []chunk
	var p unstable.Parser
	p.Reset(doc)
	root := true
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.KeyValue:
			if root {
				it := e.Key()
				if it.Next() && string(it.Node().Data) == "components" {
					return nil, false
				}
			}
		case unstable.Table, unstable.ArrayTable:
			root = false
			it := e.Key()
			it.Next()
			first := it.Node()
			owner := ""
			if string(first.Data) == "components" {
				if !it.Next() {
					return nil, false
				}
				owner = string(it.Node().Data)
			}
			off := int(first.Raw.Offset)
			if off <= 0 || off > len(doc) {
				return nil, false
			}
			start := bytes.LastIndexByte(doc[:off], '\n') + 1
			if len(chunks) > 0 && start <= chunks[len(chunks)-1].start {
				return nil, false
			}
			chunks = append(chunks, chunk{start: start, owner: owner})
		}
	}
	if p.Error() != nil {
		return nil, false
	}
	texts = map[string][]byte{}
	for i, c := range chunks {
		if c.owner == "" {
			continue
		}
		end := len(doc)
		if i+1 < len(chunks) {
			end = chunks[i+1].start
		}
		t := append(texts[c.owner], doc[c.start:end]...)
		if len(t) > 0 && t[len(t)-1] != '\n' {
			t = append(t, '\n')
		}
		texts[c.owner] = t
	}
	return texts, true
}
