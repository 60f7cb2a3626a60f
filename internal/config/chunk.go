package config

import (
	"bytes"
	"reflect"

	"github.com/pelletier/go-toml/v2/unstable"
)

// go-toml checks each new table against every table seen before it, so a file
// with thousands of tables (components.toml has one per component) decodes in
// quadratic time. splitDocument cuts such a file at table headers into parts
// that define disjoint keys; each part decodes independently, and combineParts
// joins the results. Line numbers are preserved by padding each part with the
// newlines that precede it.

// minTablesToSplit is the table count below which splitting does not pay off.
const minTablesToSplit = 256

// tablesPerPart bounds the quadratic work of one part.
const tablesPerPart = 128

// mapTables are the top-level keys whose sub-tables are independent entries.
var mapTables = map[string]bool{
	"components": true, "component-groups": true, "images": true,
	"package-groups": true, "test-suites": true, "distros": true,
}

type header struct {
	offset int    // start of the header's line
	owner  string // the top-level entry the table belongs to
}

// splitDocument returns the parts of doc, or nil when it must be decoded whole.
func splitDocument(doc []byte) [][]byte {
	if bytes.Count(doc, []byte("\n[")) < minTablesToSplit {
		return nil // cheap upper bound on the number of tables
	}
	headers, ok := scanHeaders(doc)
	if !ok || len(headers) < minTablesToSplit {
		return nil
	}
	cuts := []int{0}
	owners := map[string]int{} // owner → part index
	part, inPart := 0, 0
	for i, h := range headers {
		if inPart >= tablesPerPart && h.owner != headers[i-1].owner {
			cuts = append(cuts, h.offset)
			part++
			inPart = 0
		}
		if p, seen := owners[h.owner]; seen && p != part {
			return nil // the same entry is defined in two places: decode whole
		}
		owners[h.owner] = part
		inPart++
	}
	cuts = append(cuts, len(doc))
	parts := make([][]byte, 0, len(cuts)-1)
	for i := 0; i+1 < len(cuts); i++ {
		pad := bytes.Count(doc[:cuts[i]], []byte{'\n'})
		p := make([]byte, 0, pad+cuts[i+1]-cuts[i])
		p = append(p, bytes.Repeat([]byte{'\n'}, pad)...)
		parts = append(parts, append(p, doc[cuts[i]:cuts[i+1]]...))
	}
	return parts
}

// scanHeaders lists the table headers of doc. It reports false when the
// document cannot be split safely (parse error, or dotted keys at the root).
func scanHeaders(doc []byte) ([]header, bool) {
	var p unstable.Parser
	p.Reset(doc)
	var hs []header
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.KeyValue:
			if len(hs) == 0 && keyLen(e.Key()) > 1 {
				return nil, false
			}
		case unstable.Table, unstable.ArrayTable:
			it := e.Key()
			it.Next()
			first := it.Node()
			owner := string(first.Data)
			if mapTables[owner] {
				if !it.Next() {
					return nil, false // a bare [components] table may define entries by dotted keys
				}
				owner += "\x00" + string(it.Node().Data)
			}
			off := int(first.Raw.Offset)
			hs = append(hs, header{offset: bytes.LastIndexByte(doc[:off], '\n') + 1, owner: owner})
		}
	}
	return hs, p.Error() == nil
}

func keyLen(it unstable.Iterator) int {
	n := 0
	for it.Next() {
		n++
	}
	return n
}

// combineParts merges decoded parts that define disjoint keys into one File.
func combineParts(parts []*File) *File {
	dst := parts[0]
	dv := reflect.ValueOf(dst).Elem()
	for _, src := range parts[1:] {
		sv := reflect.ValueOf(src).Elem()
		for i := 0; i < sv.NumField(); i++ {
			combineField(dv.Field(i), sv.Field(i))
		}
	}
	return dst
}

// combineField copies map entries, and whole values of fields only src sets.
func combineField(dst, src reflect.Value) {
	switch {
	case src.IsZero():
	case src.Kind() == reflect.Map:
		if dst.IsNil() {
			dst.Set(reflect.MakeMap(src.Type()))
		}
		for it := src.MapRange(); it.Next(); {
			dst.SetMapIndex(it.Key(), it.Value())
		}
	default:
		dst.Set(src)
	}
}
