package archive

import (
	"archive/tar"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/azlforge/azldev/internal/foundation/compression"
)

// sampleTree creates a directory exercising every packed entry kind.
func sampleTree(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	long := strings.Repeat("long-name-", 12) // > 100 bytes: GNU long name entry
	writeFile(t, filepath.Join(dir, "pkg/README"), []byte("readme\n"), 0o644)
	writeFile(t, filepath.Join(dir, "pkg/bin/tool"), []byte("#!/bin/sh\n"), 0o755)
	writeFile(t, filepath.Join(dir, "pkg/suid"), []byte("s"), os.ModeSetuid|os.ModeSetgid|0o750)
	writeFile(t, filepath.Join(dir, "pkg/a.b"), []byte("sorts after a/"), 0o600)
	writeFile(t, filepath.Join(dir, "pkg/a/z"), []byte("inside a/"), 0o644)
	writeFile(t, filepath.Join(dir, "pkg", long, "f"), []byte("deep"), 0o644)
	for _, d := range []string{"pkg/empty", "pkg/sticky"} {
		if err := os.Mkdir(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Chmod(filepath.Join(dir, "pkg/sticky"), os.ModeSticky|0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("bin/tool", filepath.Join(dir, "pkg/link")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(strings.Repeat("x/", 60)+"target", filepath.Join(dir, "pkg/longlink")); err != nil {
		t.Fatal(err)
	}
	return dir
}

func pack(t *testing.T, dir string, comp compression.Kind) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Pack(&buf, dir, comp); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestPackRoundTrip(t *testing.T) {
	src := sampleTree(t)
	want := tree(t, src)
	for _, comp := range []compression.Kind{compression.Plain, compression.Gzip, compression.Xz, compression.Zstd} {
		t.Run(comp.String(), func(t *testing.T) {
			data := pack(t, src, comp)
			if got := compression.Sniff(data); got != comp {
				t.Errorf("packed stream sniffs as %v", got)
			}
			dest := t.TempDir()
			if err := ExtractStream(bytes.NewReader(data), comp, dest); err != nil {
				t.Fatal(err)
			}
			assertTree(t, dest, want)
			// Re-packing the extracted tree reproduces the same bytes.
			if again := pack(t, dest, comp); !bytes.Equal(again, data) {
				t.Error("re-packing the extracted tree changed the bytes")
			}
		})
	}
}

func TestPackDeterministic(t *testing.T) {
	a, b := sampleTree(t), sampleTree(t)
	// Different timestamps and ownership-independent metadata must not matter.
	old := time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)
	if err := os.Chtimes(filepath.Join(b, "pkg/README"), old, old); err != nil {
		t.Fatal(err)
	}
	for _, comp := range []compression.Kind{compression.Plain, compression.Gzip, compression.Xz, compression.Zstd} {
		first := pack(t, a, comp)
		if !bytes.Equal(first, pack(t, a, comp)) {
			t.Errorf("%v: two packs of the same tree differ", comp)
		}
		if !bytes.Equal(first, pack(t, b, comp)) {
			t.Errorf("%v: identical trees with different mtimes pack differently", comp)
		}
	}
}

func TestPackFormat(t *testing.T) {
	src := sampleTree(t)
	data := pack(t, src, compression.Plain)
	if len(data)%512 != 0 {
		t.Fatalf("length %d is not a multiple of 512", len(data))
	}
	if !bytes.Equal(data[len(data)-1024:], make([]byte, 1024)) || bytes.Equal(data[len(data)-1536:len(data)-1024], make([]byte, 512)) {
		t.Error("stream does not end with exactly two zero blocks")
	}
	first := data[:512]
	if string(first[257:265]) != "ustar  \x00" {
		t.Errorf("magic = %q, want GNU", first[257:265])
	}
	tr := tar.NewReader(bytes.NewReader(data))
	var names []string
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, hdr.Name)
		if hdr.Format != tar.FormatGNU || hdr.Uid != 0 || hdr.Gid != 0 || hdr.Uname != "" || hdr.Gname != "" ||
			hdr.ModTime.Unix() != 0 || !hdr.AccessTime.IsZero() || !hdr.ChangeTime.IsZero() {
			t.Errorf("%s: unexpected header %+v", hdr.Name, hdr)
		}
		if (hdr.Typeflag == tar.TypeDir) != strings.HasSuffix(hdr.Name, "/") {
			t.Errorf("%s: directory slash mismatch (type %q)", hdr.Name, hdr.Typeflag)
		}
	}
	long := strings.Repeat("long-name-", 12)
	want := []string{
		"pkg/", "pkg/README", "pkg/a/", "pkg/a/z", "pkg/a.b", "pkg/bin/", "pkg/bin/tool", "pkg/empty/",
		"pkg/link", "pkg/" + long + "/", "pkg/" + long + "/f", "pkg/longlink", "pkg/sticky/", "pkg/suid",
	}
	if strings.Join(names, "\n") != strings.Join(want, "\n") {
		t.Errorf("entry order:\n got %q\nwant %q", names, want)
	}
	modes := map[string]int64{}
	tr = tar.NewReader(bytes.NewReader(data))
	for hdr, err := tr.Next(); err == nil; hdr, err = tr.Next() {
		modes[hdr.Name] = hdr.Mode
	}
	for name, mode := range map[string]int64{"pkg/": 0o755, "pkg/suid": 0o6750, "pkg/sticky/": 0o1777, "pkg/a.b": 0o600, "pkg/link": 0o777} {
		if modes[name] != mode {
			t.Errorf("%s mode = %o, want %o", name, modes[name], mode)
		}
	}
}

func TestPackGzipHeader(t *testing.T) {
	data := pack(t, sampleTree(t), compression.Gzip)
	// ID1 ID2 CM FLG MTIME(4) XFL OS: no name/comment, MTIME 0, XFL 2 (best), OS 255.
	want := []byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 0xff}
	if !bytes.Equal(data[:10], want) {
		t.Errorf("gzip header = % x, want % x", data[:10], want)
	}
}

func TestPackRejectsSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo"), 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	if err := Pack(io.Discard, dir, compression.Plain); err == nil || !strings.Contains(err.Error(), "fifo") {
		t.Errorf("Pack with a FIFO: err = %v", err)
	}
}

func TestWriteArchive(t *testing.T) {
	src := sampleTree(t)
	out := t.TempDir()
	p := filepath.Join(out, "a.tar.zst")
	writeFile(t, p, []byte("old"), 0o640)
	if err := WriteArchive(p, src, compression.Zstd, 0o640); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(p)
	if !bytes.Equal(got, pack(t, src, compression.Zstd)) {
		t.Error("written archive differs from Pack output")
	}
	if info, _ := os.Stat(p); info.Mode().Perm() != 0o640 {
		t.Errorf("mode = %v, want 0640", info.Mode())
	}
	assertOnlyFile(t, out, "a.tar.zst")
}

func TestWriteArchiveFailureKeepsOriginal(t *testing.T) {
	src := t.TempDir()
	if err := syscall.Mkfifo(filepath.Join(src, "fifo"), 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	out := t.TempDir()
	p := filepath.Join(out, "a.tar")
	writeFile(t, p, []byte("original"), 0o644)
	if err := WriteArchive(p, src, compression.Plain, 0o644); err == nil {
		t.Fatal("WriteArchive succeeded")
	}
	if got, _ := os.ReadFile(p); string(got) != "original" {
		t.Errorf("archive changed to %q", got)
	}
	assertOnlyFile(t, out, "a.tar")
}

// assertOnlyFile fails unless dir holds exactly one entry, name (no temp files).
func assertOnlyFile(t *testing.T, dir, name string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != name {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("%s holds %q, want only %q", dir, names, name)
	}
}
