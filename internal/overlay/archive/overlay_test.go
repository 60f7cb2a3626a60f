package archive

import (
	"archive/tar"
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/azlforge/azldev/internal/foundation/compression"
	"github.com/azlforge/azldev/internal/foundation/safepath"
	"github.com/azlforge/azldev/internal/overlay/fileoverlay"
)

var upstreamEntries = []entry{
	dir("pkg-1.0/"),
	file("pkg-1.0/configure.ac", "AC_CHECK_LIB(old_lib)\n"),
	file("pkg-1.0/pkg.spec", "Name: old_lib\n"),
	dir("pkg-1.0/vendor/"),
	dir("pkg-1.0/vendor/lib/"),
	file("pkg-1.0/vendor/lib/bundled.c", "int x;\n"),
	{name: "pkg-1.0/ro/", typ: tar.TypeDir, mode: 0o555},
	file("pkg-1.0/ro/f", "old_lib"),
}

// isolateTemp points TMPDIR at a fresh directory and returns it, so tests
// can check that ApplyOverlays cleans up after itself.
func isolateTemp(t *testing.T) string {
	t.Helper()
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	return tmp
}

func assertEmptyDir(t *testing.T, dir string) {
	t.Helper()
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("%s not cleaned up: %v", dir, entries)
	}
}

func TestApplyOverlays(t *testing.T) {
	for _, c := range []struct {
		name string
		comp compression.Kind
	}{{"pkg.tar", compression.Plain}, {"pkg.tar.gz", compression.Gzip}, {"pkg.TXZ", compression.Xz}, {"pkg.tar.zst", compression.Zstd}} {
		t.Run(c.name, func(t *testing.T) {
			tmp := isolateTemp(t)
			out := t.TempDir()
			p := filepath.Join(out, c.name)
			writeFile(t, p, buildTar(t, c.comp, upstreamEntries...), 0o640)
			err := ApplyOverlays(p,
				Op{Type: OpFileRemove, File: "vendor/**"},
				Op{Type: OpFileSearchReplace, File: "**", Regex: `old_(lib)`, Replacement: "new_$1"},
			)
			if err != nil {
				t.Fatal(err)
			}
			assertEmptyDir(t, tmp)
			assertOnlyFile(t, out, c.name)
			data, _ := os.ReadFile(p)
			if got := compression.Sniff(data); got != c.comp {
				t.Errorf("repacked with %v, want %v", got, c.comp)
			}
			if info, _ := os.Stat(p); info.Mode().Perm() != 0o640 {
				t.Errorf("archive mode = %v, want 0640 kept", info.Mode())
			}
			dest := t.TempDir()
			if err := ExtractStream(bytes.NewReader(data), c.comp, dest); err != nil {
				t.Fatal(err)
			}
			assertTree(t, dest, map[string]string{
				".":                    "drwxr-xr-x",
				"pkg-1.0":              "drwxr-xr-x",
				"pkg-1.0/configure.ac": "-rw-r--r-- AC_CHECK_LIB(new_$1)\n",
				"pkg-1.0/pkg.spec":     "-rw-r--r-- Name: old_lib\n", // .spec never matched
				"pkg-1.0/vendor":       "drwxr-xr-x",                 // directories stay
				"pkg-1.0/vendor/lib":   "drwxr-xr-x",
				"pkg-1.0/ro":           "dr-xr-xr-x",
				"pkg-1.0/ro/f":         "-rw-r--r-- new_$1",
			})
		})
	}
}

func TestApplyOverlaysFlatArchive(t *testing.T) {
	isolateTemp(t)
	p := filepath.Join(t.TempDir(), "flat.tar")
	writeFile(t, p, buildTar(t, compression.Plain, file("a.txt", "a"), dir("src/"), file("src/b.txt", "b")), 0o644)
	if err := ApplyOverlays(p, Op{Type: OpFileRemove, File: "src/*.txt"}); err != nil {
		t.Fatal(err)
	}
	dest := t.TempDir()
	if _, err := Extract(p, dest); err != nil {
		t.Fatal(err)
	}
	assertTree(t, dest, map[string]string{".": "drwxr-xr-x", "a.txt": "-rw-r--r-- a", "src": "drwxr-xr-x"})
}

func TestApplyOverlaysFailureLeavesArchive(t *testing.T) {
	cases := map[string]struct {
		entries []entry
		ops     []Op
		want    error
		mention string
	}{
		"no match":       {upstreamEntries, []Op{{Type: OpFileRemove, File: "nothing/*"}}, fileoverlay.ErrNoMatch, "nothing/*"},
		"not applied":    {upstreamEntries, []Op{{Type: OpFileRemove, File: "vendor/**"}, {Type: OpFileSearchReplace, File: "configure.ac", Regex: "zzz"}}, fileoverlay.ErrNotApplied, "overlay 2"},
		"spec in tar":    {upstreamEntries, []Op{{Type: OpFileRemove, File: "pkg.spec"}}, fileoverlay.ErrNoMatch, "pkg.spec"},
		"bad regex":      {upstreamEntries, []Op{{Type: OpFileSearchReplace, File: "**", Regex: "("}}, nil, "("},
		"escaping glob":  {upstreamEntries, []Op{{Type: OpFileRemove, File: "../*"}}, safepath.ErrEscapesRoot, "../*"},
		"wrong type":     {upstreamEntries, []Op{{Type: "file-add", File: "x"}}, nil, "file-add"},
		"unsafe entry":   {[]entry{file("../evil", "x")}, []Op{{Type: OpFileRemove, File: "*"}}, ErrUnsafeEntry, "../evil"},
		"hardlink entry": {[]entry{file("a", "x"), {name: "h", typ: tar.TypeLink, linkname: "a"}}, []Op{{Type: OpFileRemove, File: "*"}}, ErrUnsafeEntry, "hard link"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			tmp := isolateTemp(t)
			out := t.TempDir()
			p := filepath.Join(out, "pkg.tar.gz")
			orig := buildTar(t, compression.Gzip, c.entries...)
			writeFile(t, p, orig, 0o644)
			err := ApplyOverlays(p, c.ops...)
			if err == nil {
				t.Fatal("ApplyOverlays succeeded")
			}
			if c.want != nil && !errors.Is(err, c.want) {
				t.Errorf("err = %v, want %v", err, c.want)
			}
			if !strings.Contains(err.Error(), c.mention) {
				t.Errorf("error %q does not mention %q", err, c.mention)
			}
			if got, _ := os.ReadFile(p); !bytes.Equal(got, orig) {
				t.Error("archive modified on failure")
			}
			assertEmptyDir(t, tmp)
			assertOnlyFile(t, out, "pkg.tar.gz")
		})
	}
}

func TestApplyOverlaysRejectsArchiveName(t *testing.T) {
	for _, name := range []string{"pkg.zip", "pkg.tar.bz2"} {
		p := filepath.Join(t.TempDir(), name)
		writeFile(t, p, buildTar(t, compression.Plain, file("a", "")), 0o644)
		if err := ApplyOverlays(p, Op{Type: OpFileRemove, File: "a"}); !errors.Is(err, compression.ErrUnsupportedName) {
			t.Errorf("%s: err = %v, want ErrUnsupportedName", name, err)
		}
	}
	if err := ApplyOverlays(filepath.Join(t.TempDir(), "missing.tar"), Op{Type: OpFileRemove, File: "a"}); err == nil {
		t.Error("missing archive accepted")
	}
}

// TestApplyOverlaysSweepsKilledExtractions (finding 3): an extraction a
// killed run left in TMPDIR, read-only directories included, is removed by
// the next archive overlay.
func TestApplyOverlaysSweepsKilledExtractions(t *testing.T) {
	tmp := isolateTemp(t)
	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Fatal(err)
	}
	leftover := filepath.Join(tmp, fmt.Sprintf("%s%d-1", extractTag, dead.Process.Pid))
	writeFile(t, filepath.Join(leftover, "pkg-1.0", "ro", "f"), []byte("x"), 0o644)
	if err := os.Chmod(filepath.Join(leftover, "pkg-1.0", "ro"), 0o555); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "pkg.tar.gz")
	writeFile(t, p, buildTar(t, compression.Gzip, upstreamEntries...), 0o644)
	if err := ApplyOverlays(p, Op{Type: OpFileRemove, File: "vendor/**"}); err != nil {
		t.Fatal(err)
	}
	assertEmptyDir(t, tmp)
}
