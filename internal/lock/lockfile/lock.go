// Package lock reads and writes component lock files: the small TOML
// documents under the project's lock directory that pin the upstream commit a
// component is built from and fingerprint the inputs it was built with.
package lockfile

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"

	"github.com/azlforge/azldev/internal/foundation/commitid"
)

// CurrentVersion is the only lock file format version this package reads and writes.
const CurrentVersion = 1

// Header is the comment line every written lock file starts with.
const Header = "# Managed by azldev component update. Do not edit manually."

// Lock is the content of one component lock file.
type Lock struct {
	// Version is the file format version; always CurrentVersion once parsed.
	Version int `toml:"version"`
	// ImportCommit is the upstream commit recorded at the first update (upstream components only).
	ImportCommit string `toml:"import-commit"`
	// UpstreamCommit is the resolved upstream commit used to prepare the sources.
	UpstreamCommit string `toml:"upstream-commit"`
	// ManualBump counts the rebuilds requested with `component update --bump`.
	ManualBump int `toml:"manual-bump"`
	// InputFingerprint hashes every build input of the component.
	InputFingerprint string `toml:"input-fingerprint"`
	// ResolutionInputHash hashes the inputs that decide which upstream commit is resolved.
	ResolutionInputHash string `toml:"resolution-input-hash"`
}

// New returns an empty lock of the current version.
func New() *Lock { return &Lock{Version: CurrentVersion} }

// ParseError is a problem in a lock file's content. Line and Column are
// 1-based; both are zero when the problem has no single location.
type ParseError struct {
	File   string // the file's name as shown to users; may be empty
	Line   int
	Column int
	Msg    string
}

// Error formats the problem as `file:line:col: msg`, leaving out the unknown parts.
func (e *ParseError) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		b.WriteString(":")
	}
	if e.Line > 0 {
		fmt.Fprintf(&b, "%d:%d:", e.Line, e.Column)
	}
	if b.Len() > 0 {
		b.WriteString(" ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Parse decodes a lock file strictly: unknown keys, wrong value types and any
// version other than CurrentVersion are errors (*ParseError).
func Parse(data []byte) (*Lock, error) { return ParseNamed("", data) }

// ParseNamed is Parse with errors naming the file (for example a path, or a
// `<commit>:<path>` spelling when the content was read from git history).
func ParseNamed(name string, data []byte) (*Lock, error) {
	var l Lock
	if err := decodeStrict(data, &l); err != nil {
		if pe, ok := errors.AsType[*ParseError](err); ok {
			pe.File = name
		}
		return nil, err
	}
	if err := l.check(data); err != nil {
		err.File = name
		return nil, err
	}
	return &l, nil
}

// decodeStrict decodes data into l, turning go-toml errors into positioned ParseErrors.
func decodeStrict(data []byte, l *Lock) error {
	err := toml.NewDecoder(bytes.NewReader(data)).DisallowUnknownFields().Decode(l)
	if err == nil {
		return nil
	}
	if strict, ok := errors.AsType[*toml.StrictMissingError](err); ok && len(strict.Errors) > 0 {
		e := &strict.Errors[0]
		row, col := e.Position()
		return &ParseError{Line: row, Column: col, Msg: fmt.Sprintf("unknown field `%s`", strings.Join(e.Key(), "."))}
	}
	if de, ok := errors.AsType[*toml.DecodeError](err); ok {
		row, col := de.Position()
		return &ParseError{Line: row, Column: col, Msg: strings.TrimPrefix(de.Error(), "toml: ")}
	}
	return &ParseError{Msg: err.Error()}
}

// check validates decoded values that TOML typing cannot express.
func (l *Lock) check(data []byte) *ParseError {
	if l.Version != CurrentVersion {
		row, col := keyPosition(data, "version")
		return &ParseError{Line: row, Column: col,
			Msg: fmt.Sprintf("unsupported lock file version %d (expected %d)", l.Version, CurrentVersion)}
	}
	if l.ManualBump < 0 {
		row, col := keyPosition(data, "manual-bump")
		return &ParseError{Line: row, Column: col, Msg: fmt.Sprintf("manual-bump must not be negative (got %d)", l.ManualBump)}
	}
	for _, c := range [...]struct{ key, value string }{{"import-commit", l.ImportCommit}, {"upstream-commit", l.UpstreamCommit}} {
		if c.value != "" && !commitid.Valid(c.value) {
			row, col := keyPosition(data, c.key)
			return &ParseError{Line: row, Column: col, Msg: fmt.Sprintf("%s %q is not a commit id (7 to 40 hexadecimal digits)", c.key, c.value)}
		}
	}
	return nil
}

// keyPosition returns where the top-level key is defined in data, or 0, 0.
func keyPosition(data []byte, key string) (row, col int) {
	var p unstable.Parser
	p.Reset(data)
	for p.NextExpression() {
		e := p.Expression()
		if e.Kind == unstable.Table || e.Kind == unstable.ArrayTable {
			return 0, 0 // top-level keys all come before the first table header
		}
		if e.Kind != unstable.KeyValue {
			continue
		}
		it := e.Key()
		if !it.Next() {
			continue
		}
		first := it.Node()
		if string(first.Data) == key && !it.Next() {
			start := p.Shape(first.Raw).Start
			return start.Line, start.Column
		}
	}
	return 0, 0
}

// Marshal renders the lock in the canonical file format: the Header comment,
// `version = 1`, then import-commit, upstream-commit, manual-bump,
// input-fingerprint and resolution-input-hash, each only when non-empty
// (non-zero), with single-quoted strings and a trailing newline. The version
// line always states CurrentVersion, whatever l.Version holds.
//
// The text is assembled by hand rather than with go-toml's encoder: the
// encoder neither emits a leading comment nor omits zero integers while
// keeping this key order, and it picks its own quoting style per value, so
// its output would not be byte-identical to the files the reference writes
// (and that projects commit).
func (l *Lock) Marshal() []byte {
	var b strings.Builder
	b.WriteString(Header)
	b.WriteString("\nversion = ")
	b.WriteString(strconv.Itoa(CurrentVersion))
	b.WriteString("\n")
	writeString(&b, "import-commit", l.ImportCommit)
	writeString(&b, "upstream-commit", l.UpstreamCommit)
	if l.ManualBump != 0 {
		b.WriteString("manual-bump = ")
		b.WriteString(strconv.Itoa(l.ManualBump))
		b.WriteString("\n")
	}
	writeString(&b, "input-fingerprint", l.InputFingerprint)
	writeString(&b, "resolution-input-hash", l.ResolutionInputHash)
	return []byte(b.String())
}

// writeString appends `key = 'value'` unless value is empty.
func writeString(b *strings.Builder, key, value string) {
	if value == "" {
		return
	}
	b.WriteString(key)
	b.WriteString(" = ")
	b.WriteString(quote(value))
	b.WriteString("\n")
}

// quote returns s as a TOML literal string ('...') when it can be one, and as
// an escaped basic string ("...") otherwise, so that any value round-trips.
// Hashes and commits, the only values written in practice, are always literal.
func quote(s string) string {
	if canBeLiteral(s) {
		return "'" + s + "'"
	}
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, "\\u%04X", r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// canBeLiteral reports whether s fits in a single-line TOML literal string.
func canBeLiteral(s string) bool {
	for _, r := range s {
		if r == '\'' || r == 0x7f || (r < 0x20 && r != '\t') {
			return false
		}
	}
	return true
}
