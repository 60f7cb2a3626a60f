// Package sources reads and rewrites dist-git `sources` files, which list the
// lookaside files of a package with their hashes, and hashes files.
package sourcesfile

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"os"
	"regexp"
	"strings"
)

// FileName is the name of the sources file in a dist-git tree.
const FileName = "sources"

// Entry is one file listed in a sources file.
type Entry struct {
	HashType string // upper case, e.g. SHA512; MD5 for the legacy form
	Filename string
	Hash     string // lower-case hex
}

// line is one line of the file: verbatim text, and the entry it declares if any.
type line struct {
	text  string
	entry *Entry
}

// File is a parsed sources file; unchanged lines are written back verbatim.
type File struct {
	lines []line
	index map[string]int // filename → line
}

var (
	modernLine = regexp.MustCompile(`^([A-Z0-9]+) \((.+)\) = ([0-9a-fA-F]+)$`)
	legacyLine = regexp.MustCompile(`^([0-9a-fA-F]+)\s+(\S+)$`)
)

// Parse reads a sources file. Blank lines and # comments are kept; an
// unparsable line or a repeated file name is an error naming the line.
func Parse(data []byte) (*File, error) {
	f := &File{index: map[string]int{}}
	text := strings.TrimSuffix(string(data), "\n")
	if text == "" {
		return f, nil
	}
	for i, raw := range strings.Split(text, "\n") {
		e, err := parseLine(strings.TrimSpace(strings.TrimSuffix(raw, "\r")))
		if err != nil {
			return nil, fmt.Errorf("sources line %d: %w", i+1, err)
		}
		if e != nil {
			if _, dup := f.index[e.Filename]; dup {
				return nil, fmt.Errorf("sources line %d: file %q is listed twice", i+1, e.Filename)
			}
			f.index[e.Filename] = len(f.lines)
		}
		f.lines = append(f.lines, line{text: raw, entry: e})
	}
	return f, nil
}

func parseLine(s string) (*Entry, error) {
	if s == "" || strings.HasPrefix(s, "#") {
		return nil, nil
	}
	if m := modernLine.FindStringSubmatch(s); m != nil {
		return &Entry{HashType: m[1], Filename: m[2], Hash: strings.ToLower(m[3])}, nil
	}
	if m := legacyLine.FindStringSubmatch(s); m != nil {
		return &Entry{HashType: "MD5", Filename: m[2], Hash: strings.ToLower(m[1])}, nil
	}
	return nil, fmt.Errorf("cannot parse %q (want `HASHTYPE (file) = hash` or `hash file`)", s)
}

// Entries returns the listed files in order.
func (f *File) Entries() []Entry {
	var out []Entry
	for _, l := range f.lines {
		if l.entry != nil {
			out = append(out, *l.entry)
		}
	}
	return out
}

// Lookup returns the entry for a file name.
func (f *File) Lookup(name string) (Entry, bool) {
	i, ok := f.index[name]
	if !ok {
		return Entry{}, false
	}
	return *f.lines[i].entry, true
}

// Set replaces the entry of e.Filename in place, or appends it.
func (f *File) Set(e Entry) {
	e.Hash = strings.ToLower(e.Hash)
	l := line{text: fmt.Sprintf("%s (%s) = %s", e.HashType, e.Filename, e.Hash), entry: &e}
	if i, ok := f.index[e.Filename]; ok {
		f.lines[i] = l
		return
	}
	f.index[e.Filename] = len(f.lines)
	f.lines = append(f.lines, l)
}

// Bytes renders the file: every line followed by a newline.
func (f *File) Bytes() []byte {
	var b strings.Builder
	for _, l := range f.lines {
		b.WriteString(l.text)
		b.WriteByte('\n')
	}
	return []byte(b.String())
}

// NewHash returns a hash for a sources hash type.
func NewHash(hashType string) (hash.Hash, error) {
	switch strings.ToUpper(hashType) {
	case "SHA512":
		return sha512.New(), nil
	case "SHA256":
		return sha256.New(), nil
	case "SHA1":
		return sha1.New(), nil
	case "MD5":
		return md5.New(), nil
	}
	return nil, fmt.Errorf("unsupported hash type %q", hashType)
}

// HashFile returns the lower-case hex digest of a file.
func HashFile(path, hashType string) (string, error) {
	h, err := NewHash(hashType)
	if err != nil {
		return "", err
	}
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("hashing %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
