// Package compression identifies the compression around a tar stream, from
// an archive file name suffix or from the stream's magic bytes, and
// decompresses streams.
package compression

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/klauspost/compress/zstd"
	"github.com/ulikunitz/xz"

	"github.com/azlforge/azldev/internal/foundation/safepath"
)

// Kind identifies the compression wrapped around a tar stream.
type Kind int

// Supported compressions.
const (
	Plain Kind = iota
	Gzip
	Xz
	Zstd
)

// String returns a short lower-case name such as "gzip".
func (c Kind) String() string {
	switch c {
	case Plain:
		return "tar"
	case Gzip:
		return "gzip"
	case Xz:
		return "xz"
	case Zstd:
		return "zstd"
	}
	return fmt.Sprintf("Kind(%d)", int(c))
}

// ErrUnsupportedName reports an archive name without an accepted suffix.
var ErrUnsupportedName = errors.New("unsupported archive name")

// suffixes lists the accepted archive name suffixes (matched case-insensitively).
var suffixes = []struct {
	suffix string
	comp   Kind
}{
	{".tar.gz", Gzip}, {".tgz", Gzip},
	{".tar.xz", Xz}, {".txz", Xz},
	{".tar.zst", Zstd}, {".tzst", Zstd},
	{".tar", Plain},
}

// FromName returns the compression implied by an accepted archive
// name suffix (.tar.gz, .tgz, .tar.xz, .txz, .tar.zst, .tzst or .tar,
// case-insensitive). The name must be a safe file name.
func FromName(name string) (Kind, error) {
	if err := safepath.CheckFileName(name); err != nil {
		return Plain, fmt.Errorf("archive name %q: %w", name, err)
	}
	lower := strings.ToLower(name)
	for _, s := range suffixes {
		if strings.HasSuffix(lower, s.suffix) {
			return s.comp, nil
		}
	}
	return Plain, fmt.Errorf("%w %q: want one of .tar.gz, .tgz, .tar.xz, .txz, .tar.zst, .tzst, .tar", ErrUnsupportedName, name)
}

// CheckName reports whether name is an acceptable archive file name.
func CheckName(name string) error {
	_, err := FromName(name)
	return err
}

var magics = []struct {
	magic []byte
	comp  Kind
}{
	{[]byte{0xFD, '7', 'z', 'X', 'Z', 0x00}, Xz},
	{[]byte{0x1F, 0x8B}, Gzip},
	{[]byte{0x28, 0xB5, 0x2F, 0xFD}, Zstd},
}

// Sniff returns the compression identified by the leading bytes of a file;
// anything unrecognised is plain tar.
func Sniff(head []byte) Kind {
	for _, m := range magics {
		if bytes.HasPrefix(head, m.magic) {
			return m.comp
		}
	}
	return Plain
}

// Detect sniffs the compression of the archive at path from its
// magic bytes, falling back to the name suffix only when the file is empty.
func Detect(path string) (Kind, error) {
	f, err := os.Open(path)
	if err != nil {
		return Plain, err
	}
	defer f.Close()
	head := make([]byte, 6)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
		return Plain, fmt.Errorf("reading %q: %w", path, err)
	}
	if n == 0 {
		return FromName(filepath.Base(path))
	}
	return Sniff(head[:n]), nil
}

// NewReader decompresses r; the function it returns releases the
// decompressor.
func NewReader(r io.Reader, comp Kind) (io.Reader, func(), error) {
	switch comp {
	case Plain:
		return r, func() {}, nil
	case Gzip:
		zr, err := gzip.NewReader(r)
		if err != nil {
			return nil, nil, fmt.Errorf("gzip: %w", err)
		}
		return zr, func() { zr.Close() }, nil
	case Xz:
		zr, err := xz.NewReader(r)
		if err != nil {
			return nil, nil, fmt.Errorf("xz: %w", err)
		}
		return zr, func() {}, nil
	case Zstd:
		zr, err := zstd.NewReader(r, zstd.WithDecoderConcurrency(1))
		if err != nil {
			return nil, nil, fmt.Errorf("zstd: %w", err)
		}
		return zr, zr.Close, nil
	}
	return nil, nil, fmt.Errorf("unknown compression %v", comp)
}
