package archive

import (
	"archive/tar"
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/azlforge/azldev/internal/foundation/compression"
	"github.com/azlforge/azldev/internal/testutil"
)

// entry describes one tar member for building test archives.
type entry struct {
	name     string
	typ      byte
	mode     int64
	body     string
	linkname string
}

func file(name, body string) entry {
	return entry{name: name, typ: tar.TypeReg, mode: 0o644, body: body}
}
func dir(name string) entry { return entry{name: name, typ: tar.TypeDir, mode: 0o755} }
func link(name, target string) entry {
	return entry{name: name, typ: tar.TypeSymlink, mode: 0o777, linkname: target}
}

// buildTar returns a tar stream of entries compressed with comp.
func buildTar(t testing.TB, comp compression.Kind, entries ...entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	cw, err := compressor(&buf, comp)
	if err != nil {
		t.Fatal(err)
	}
	tw := tar.NewWriter(cw)
	for _, e := range entries {
		hdr := &tar.Header{Name: e.name, Typeflag: e.typ, Mode: e.mode, Linkname: e.linkname, Size: int64(len(e.body))}
		if err := tw.WriteHeader(hdr); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(e.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := cw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// tree records every entry below dir: mode, and content or link target.
func tree(t testing.TB, dir string) map[string]string { return testutil.Snapshot(t, dir) }

func assertTree(t testing.TB, dir string, want map[string]string) {
	t.Helper()
	if got := tree(t, dir); !reflect.DeepEqual(got, want) {
		t.Errorf("tree of %s:\n got %v\nwant %v", dir, got, want)
	}
}

func writeFile(t testing.TB, p string, data []byte, perm fs.FileMode) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, perm); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(p, perm); err != nil {
		t.Fatal(err)
	}
}
