package archive

import (
	"archive/tar"
	"compress/gzip"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/klauspost/compress/zstd"
	"github.com/ulikunitz/xz"

	"github.com/azlforge/azldev/internal/foundation/atomicfile"
	"github.com/azlforge/azldev/internal/foundation/compression"
)

// Pack writes a reproducible tar stream of everything below dir (dir itself
// is not an entry) to w, compressed with comp. Entries follow a lexical walk
// (a directory before its contents, names sorted by byte value) in GNU
// format; directory names end in "/"; modes keep permission, setuid, setgid
// and sticky bits; mtime is the Unix epoch; uid/gid are 0 with empty owner
// names; symlinks keep their targets. The stream ends right after the two
// zero blocks (no record padding).
func Pack(w io.Writer, dir string, comp compression.Kind) error {
	cw, err := compressor(w, comp)
	if err != nil {
		return err
	}
	tw := tar.NewWriter(cw)
	if err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == dir {
			return nil
		}
		return addEntry(tw, dir, p, d)
	}); err != nil {
		return err
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return cw.Close()
}

// compressor wraps w in the writer for comp: compress/gzip at best
// compression with a zero header, ulikunitz/xz and klauspost zstd defaults.
func compressor(w io.Writer, comp compression.Kind) (io.WriteCloser, error) {
	switch comp {
	case compression.Plain:
		return nopCloser{w}, nil
	case compression.Gzip:
		return gzip.NewWriterLevel(w, gzip.BestCompression)
	case compression.Xz:
		return xz.NewWriter(w)
	case compression.Zstd:
		return zstd.NewWriter(w)
	}
	return nil, fmt.Errorf("unknown compression %v", comp)
}

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

func addEntry(tw *tar.Writer, dir, p string, d fs.DirEntry) error {
	rel, err := filepath.Rel(dir, p)
	if err != nil {
		return err
	}
	info, err := d.Info()
	if err != nil {
		return err
	}
	hdr := &tar.Header{
		Name:    filepath.ToSlash(rel),
		Mode:    tarMode(info.Mode()),
		ModTime: time.Unix(0, 0),
		Format:  tar.FormatGNU,
	}
	switch mode := info.Mode(); {
	case mode.IsDir():
		hdr.Typeflag = tar.TypeDir
		hdr.Name += "/"
	case mode&fs.ModeSymlink != 0:
		hdr.Typeflag = tar.TypeSymlink
		if hdr.Linkname, err = os.Readlink(p); err != nil {
			return err
		}
	case mode.IsRegular():
		hdr.Typeflag = tar.TypeReg
		hdr.Size = info.Size()
	default:
		return fmt.Errorf("packing %q: unsupported file type %v", rel, mode.Type())
	}
	if err := tw.WriteHeader(hdr); err != nil {
		return fmt.Errorf("packing %q: %w", rel, err)
	}
	if hdr.Typeflag != tar.TypeReg {
		return nil
	}
	return copyFile(tw, p, rel)
}

func copyFile(w io.Writer, p, rel string) error {
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := io.Copy(w, f); err != nil {
		return fmt.Errorf("packing %q: %w", rel, err)
	}
	return nil
}

// tarMode converts a FileMode to tar permission bits plus setuid, setgid
// and sticky.
func tarMode(m fs.FileMode) int64 {
	mode := int64(m.Perm())
	if m&fs.ModeSetuid != 0 {
		mode |= 0o4000
	}
	if m&fs.ModeSetgid != 0 {
		mode |= 0o2000
	}
	if m&fs.ModeSticky != 0 {
		mode |= 0o1000
	}
	return mode
}

// WriteArchive packs dir into path via a temporary file in the same
// directory that is renamed over path, so readers never see a partial
// archive. The result gets the permission bits perm.
func WriteArchive(path, dir string, comp compression.Kind, perm fs.FileMode) error {
	return atomicfile.Write(path, perm, func(w io.Writer) error {
		if err := Pack(w, dir, comp); err != nil {
			return fmt.Errorf("packing %q: %w", filepath.Base(path), err)
		}
		return nil
	})
}
