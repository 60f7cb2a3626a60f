package archive

import (
	"archive/tar"
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/azlforge/azldev/internal/foundation/compression"
)

// sandbox returns base/dest (empty) and base/outside (holding "secret").
func sandbox(t *testing.T) (dest, outside string) {
	t.Helper()
	base := t.TempDir()
	dest = filepath.Join(base, "dest")
	outside = filepath.Join(base, "outside")
	writeFile(t, filepath.Join(outside, "secret"), []byte("secret"), 0o644)
	if err := os.Mkdir(dest, 0o755); err != nil {
		t.Fatal(err)
	}
	return dest, outside
}

func TestExtractModesAndTypes(t *testing.T) {
	for _, comp := range []compression.Kind{compression.Plain, compression.Gzip, compression.Xz, compression.Zstd} {
		t.Run(comp.String(), func(t *testing.T) {
			dest, _ := sandbox(t)
			data := buildTar(t, comp,
				dir("pkg/"),
				entry{name: "pkg/run.sh", typ: tar.TypeReg, mode: 0o4755, body: "#!/bin/sh\n"},
				entry{name: "pkg/ro/", typ: tar.TypeDir, mode: 0o555},
				file("pkg/ro/f", "in read-only dir"),
				entry{name: "pkg/tmp/", typ: tar.TypeDir, mode: 0o1777},
				file("pkg/implicit/deep/g", "g"),
				link("pkg/l", "run.sh"),
				link("pkg/implicit/deep/up", "../../ro/f"),
				file("./pkg/dot", "leading ./"),
				entry{name: "./", typ: tar.TypeDir, mode: 0o700},
			)
			if err := ExtractStream(bytes.NewReader(data), comp, dest); err != nil {
				t.Fatal(err)
			}
			assertTree(t, dest, map[string]string{
				".":                    "drwxr-xr-x",
				"pkg":                  "drwxr-xr-x",
				"pkg/run.sh":           "urwxr-xr-x #!/bin/sh\n",
				"pkg/ro":               "dr-xr-xr-x",
				"pkg/ro/f":             "-rw-r--r-- in read-only dir",
				"pkg/tmp":              "dtrwxrwxrwx",
				"pkg/implicit":         "drwxr-xr-x",
				"pkg/implicit/deep":    "drwxr-xr-x",
				"pkg/implicit/deep/g":  "-rw-r--r-- g",
				"pkg/implicit/deep/up": "Lrwxrwxrwx -> ../../ro/f",
				"pkg/l":                "Lrwxrwxrwx -> run.sh",
				"pkg/dot":              "-rw-r--r-- leading ./",
			})
		})
	}
}

func TestExtractLaterEntryReplacesFile(t *testing.T) {
	dest, _ := sandbox(t)
	data := buildTar(t, compression.Plain, file("a", "one"), file("a", "two"), link("b", "a"), file("b", "file now"))
	if err := ExtractStream(bytes.NewReader(data), compression.Plain, dest); err != nil {
		t.Fatal(err)
	}
	assertTree(t, dest, map[string]string{".": "drwxr-xr-x", "a": "-rw-r--r-- two", "b": "-rw-r--r-- file now"})
}

func TestExtractRejectsUnsafeEntries(t *testing.T) {
	cases := map[string][]entry{
		"dotdot":             {file("../evil", "x")},
		"nested dotdot":      {file("a/../../evil", "x")},
		"absolute":           {file("/tmp/evil", "x")},
		"absolute link":      {link("l", "/etc/passwd")},
		"escaping link":      {link("l", "../outside/secret")},
		"deep escaping link": {dir("a/"), link("a/l", "../../outside")},
		"named dotdot link":  {dir("a/"), link("l", "a/../../outside")},
		"link via link":      {dir("sub/"), link("sub/up", ".."), link("sub/up/l", "../outside")},
		"dotdot after name":  {dir("a/"), link("l", "a/..")},
		"empty link":         {link("l", "")},
		"hardlink":           {file("a", "x"), {name: "h", typ: tar.TypeLink, linkname: "a"}},
		"hardlink outside":   {{name: "h", typ: tar.TypeLink, linkname: "../outside/secret"}},
		"char device":        {{name: "null", typ: tar.TypeChar, mode: 0o666}},
		"block device":       {{name: "sda", typ: tar.TypeBlock, mode: 0o660}},
		"fifo":               {{name: "p", typ: tar.TypeFifo, mode: 0o644}},
		"file over dir":      {dir("a/"), file("a", "x")},
		"dir over file":      {file("a", "x"), dir("a/")},
		"file below file":    {file("a", "x"), file("a/b", "y")},
		"root as file":       {file(".", "x")},
		"unknown type":       {{name: "z", typ: 'Z', mode: 0o644}},
	}
	for name, entries := range cases {
		t.Run(name, func(t *testing.T) {
			dest, outside := sandbox(t)
			before := tree(t, filepath.Dir(outside))
			delete(before, "dest")
			err := ExtractStream(bytes.NewReader(buildTar(t, compression.Plain, entries...)), compression.Plain, dest)
			if err == nil {
				t.Fatal("extraction succeeded")
			}
			last := entries[len(entries)-1].name
			if !strings.Contains(err.Error(), last) {
				t.Errorf("error %q does not name entry %q", err, last)
			}
			after := tree(t, filepath.Dir(outside))
			for p := range after {
				if p == "dest" || strings.HasPrefix(p, "dest/") {
					delete(after, p)
				}
			}
			if len(after) != len(before) {
				t.Errorf("files outside dest changed: before %v after %v", before, after)
			}
			for p, v := range before {
				if after[p] != v {
					t.Errorf("outside entry %s changed: %q -> %q", p, v, after[p])
				}
			}
		})
	}
}

func TestExtractUnsafeTypesAreErrUnsafeEntry(t *testing.T) {
	for _, e := range []entry{
		{name: "h", typ: tar.TypeLink, linkname: "a"},
		{name: "c", typ: tar.TypeChar},
		link("l", "../x"),
		file("../x", ""),
	} {
		dest, _ := sandbox(t)
		err := ExtractStream(bytes.NewReader(buildTar(t, compression.Plain, e)), compression.Plain, dest)
		if !errors.Is(err, ErrUnsafeEntry) {
			t.Errorf("entry %q: err = %v, want ErrUnsafeEntry", e.name, err)
		}
	}
}

func TestExtractDoesNotFollowPreexistingSymlinks(t *testing.T) {
	dest, outside := sandbox(t)
	if err := os.Symlink("../outside", filepath.Join(dest, "out")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../outside/secret", filepath.Join(dest, "secret-link")); err != nil {
		t.Fatal(err)
	}
	err := ExtractStream(bytes.NewReader(buildTar(t, compression.Plain, file("out/evil", "x"))), compression.Plain, dest)
	if err == nil || !strings.Contains(err.Error(), "out/evil") {
		t.Fatalf("write through escaping symlink: err = %v", err)
	}
	// A regular file entry replaces the symlink itself instead of writing through it.
	err = ExtractStream(bytes.NewReader(buildTar(t, compression.Plain, file("secret-link", "replaced"))), compression.Plain, dest)
	if err != nil {
		t.Fatal(err)
	}
	assertTree(t, outside, map[string]string{".": "drwxr-xr-x", "secret": "-rw-r--r-- secret"})
	if got, _ := os.ReadFile(filepath.Join(dest, "secret-link")); string(got) != "replaced" {
		t.Errorf("secret-link = %q", got)
	}
}

func TestExtractCorruptInput(t *testing.T) {
	for _, comp := range []compression.Kind{compression.Plain, compression.Gzip, compression.Xz, compression.Zstd} {
		data := buildTar(t, comp, file("a", strings.Repeat("x", 4096)))
		dest, _ := sandbox(t)
		if err := ExtractStream(bytes.NewReader(data[:len(data)/2]), comp, dest); err == nil {
			t.Errorf("%v: truncated archive extracted without error", comp)
		}
	}
}

func TestExtractSkipsGlobalHeader(t *testing.T) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeXGlobalHeader, Name: "pax_global_header",
		PAXRecords: map[string]string{"comment": "0123abcd"}}); err != nil {
		t.Fatal(err)
	}
	if err := tw.WriteHeader(&tar.Header{Name: "a", Typeflag: tar.TypeReg, Mode: 0o644}); err != nil {
		t.Fatal(err)
	}
	tw.Close()
	dest, _ := sandbox(t)
	if err := ExtractStream(&buf, compression.Plain, dest); err != nil {
		t.Fatal(err)
	}
	assertTree(t, dest, map[string]string{".": "drwxr-xr-x", "a": "-rw-r--r-- "})
}

func TestExtractionRoot(t *testing.T) {
	cases := map[string]struct {
		entries []entry
		want    string
	}{
		"single dir":         {[]entry{dir("pkg-1.0/"), file("pkg-1.0/a", "")}, "pkg-1.0"},
		"implicit dir":       {[]entry{file("pkg-1.0/a", "")}, "pkg-1.0"},
		"flat":               {[]entry{file("a", ""), dir("src/")}, "."},
		"single file":        {[]entry{file("a", "")}, "."},
		"single dir symlink": {[]entry{link("l", ".")}, "."},
		"empty":              {nil, "."},
	}
	for name, c := range cases {
		dest, _ := sandbox(t)
		if err := ExtractStream(bytes.NewReader(buildTar(t, compression.Plain, c.entries...)), compression.Plain, dest); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		got, err := ExtractionRoot(dest)
		if err != nil {
			t.Fatal(err)
		}
		if want := filepath.Join(dest, c.want); got != want {
			t.Errorf("%s: ExtractionRoot = %q, want %q", name, got, want)
		}
	}
}

func TestExtractFile(t *testing.T) {
	dest, _ := sandbox(t)
	p := filepath.Join(t.TempDir(), "x.tar.gz")
	writeFile(t, p, buildTar(t, compression.Xz, file("a", "b")), 0o644)
	comp, err := Extract(p, dest)
	if err != nil || comp != compression.Xz {
		t.Fatalf("Extract = %v, %v; want xz (sniffed despite the .tar.gz name)", comp, err)
	}
	assertTree(t, dest, map[string]string{".": "drwxr-xr-x", "a": "-rw-r--r-- b"})
	if _, err := Extract(filepath.Join(t.TempDir(), "missing.tar"), dest); err == nil {
		t.Error("Extract of a missing archive succeeded")
	}
}
