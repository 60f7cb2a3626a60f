package prepare

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/azlforge/azldev/internal/config"
	"github.com/azlforge/azldev/internal/resolve"
)

const rootConfig = `includes = ["comps/*/*.comp.toml"]
[project]
default-distro = { name = "d", version = "1" }
[distros.d]
default-version = "1"
[distros.d.versions.1]
release-ver = "1"
`

const testSpec = "Name: a\nVersion: 1\nRelease: 1%{?dist}\nSource0: a.tar.gz\n\n%description\nA.\n\n%prep\n\n%files\n"

// project writes a one-component project whose comp.toml body is given.
func project(t *testing.T, comp string, extra map[string]string) (string, *resolve.Component) {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"azldev.toml":             rootConfig,
		"comps/a/a.comp.toml":     "[components.a]\nspec = { type = \"local\", path = \"a.spec\" }\n" + comp,
		"comps/a/a.spec":          testSpec,
		"comps/a/a.conf":          "setting = 1\n",
		"comps/a/patches/x.patch": "--- a\n+++ b\n",
	}
	for k, v := range extra {
		files[k] = v
	}
	for name, content := range files {
		p := filepath.Join(dir, name)
		must(t, os.MkdirAll(filepath.Dir(p), 0o755))
		must(t, os.WriteFile(p, []byte(content), 0o644))
	}
	return dir, resolveA(t, dir)
}

func resolveA(t *testing.T, dir string) *resolve.Component {
	t.Helper()
	cfg, err := config.Load(config.Options{StartDir: dir})
	must(t, err)
	r, err := resolve.New(cfg, false)
	must(t, err)
	c, err := r.Resolve("a")
	must(t, err)
	return c
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func prepareTo(t *testing.T, c *resolve.Component, out string, force bool) error {
	t.Helper()
	p := &Preparer{Opts: Options{OutputDir: out, Force: force, WithoutGit: true, SkipSources: true, Log: slog.New(slog.DiscardHandler)}}
	return p.Prepare(context.Background(), c)
}

func TestPrepareAppliesOverlays(t *testing.T) {
	_, c := project(t, `[[components.a.overlays]]
type = "spec-add-tag"
tag = "BuildRequires"
value = "gcc"
[[components.a.overlays]]
type = "patch-add"
source = "patches/x.patch"
[components.a.build]
with = ["feature"]
`, nil)
	out := filepath.Join(t.TempDir(), "out")
	must(t, prepareTo(t, c, out, false))
	specText, err := os.ReadFile(filepath.Join(out, "a.spec"))
	must(t, err)
	for _, want := range []string{
		"# This spec file has been modified by azldev",
		"%{load:%{_sourcedir}/a.azl.macros}",
		"Source9999: a.azl.macros",
		"BuildRequires: gcc",
		"Patch0: x.patch",
	} {
		if !strings.Contains(string(specText), want) {
			t.Errorf("spec lacks %q:\n%s", want, specText)
		}
	}
	macros, err := os.ReadFile(filepath.Join(out, "a.azl.macros"))
	must(t, err)
	if !strings.HasSuffix(string(macros), "%_with_feature 1\n") {
		t.Errorf("macros file:\n%s", macros)
	}
	if _, err := os.Stat(filepath.Join(out, "x.patch")); err != nil {
		t.Error("patch not copied:", err)
	}
	if err := prepareTo(t, c, out, false); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("non-empty output without --force: %v", err)
	}
}

// TestFailedPrepareKeepsPreviousOutput checks that nothing partial replaces a good output.
func TestFailedPrepareKeepsPreviousOutput(t *testing.T) {
	dir, good := project(t, "", nil)
	out := filepath.Join(t.TempDir(), "out")
	must(t, prepareTo(t, good, out, false))
	before, err := os.ReadFile(filepath.Join(out, "a.spec"))
	must(t, err)
	must(t, os.WriteFile(filepath.Join(dir, "comps/a/a.comp.toml"), []byte(
		"[components.a]\nspec = { type = \"local\", path = \"a.spec\" }\n[[components.a.overlays]]\ntype = \"spec-update-tag\"\ntag = \"Epoch\"\nvalue = \"1\"\n"), 0o644))
	bad := resolveA(t, dir)
	err = prepareTo(t, bad, out, true)
	if err == nil || !strings.Contains(err.Error(), "overlay 1 (spec-update-tag)") {
		t.Fatalf("want an overlay error naming the overlay, got %v", err)
	}
	after, err := os.ReadFile(filepath.Join(out, "a.spec"))
	must(t, err)
	if !bytes.Equal(before, after) {
		t.Fatal("previous output changed after a failed run")
	}
	leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(out), ".out.azldev-staging-*"))
	if len(leftovers) > 0 {
		t.Fatalf("staging directories left behind: %v", leftovers)
	}
}

// TestEscapesRejected checks that overlays cannot reach outside the output
// through symlinks or archive entries, and that nothing is written outside.
func TestEscapesRejected(t *testing.T) {
	outside := t.TempDir()
	victim := filepath.Join(outside, "victim.txt")
	must(t, os.WriteFile(victim, []byte("original\n"), 0o644))
	for _, tc := range []struct {
		name  string
		comp  string
		setup func(t *testing.T, compDir string)
		want  string
	}{
		{"prepend through a symlink", "[[components.a.overlays]]\ntype = \"file-prepend-lines\"\nfile = \"link.txt\"\nlines = [\"x\"]\n",
			func(t *testing.T, d string) { must(t, os.Symlink(victim, filepath.Join(d, "link.txt"))) }, "escapes root"},
		{"search-replace through a symlinked dir", "[[components.a.overlays]]\ntype = \"file-search-replace\"\nfile = \"ext/*.txt\"\nregex = \"original\"\nreplacement = \"pwned\"\n",
			func(t *testing.T, d string) { must(t, os.Symlink(outside, filepath.Join(d, "ext"))) }, ""},
		{"file-add into a symlinked dir", "[[components.a.overlays]]\ntype = \"file-add\"\nfile = \"ext/new.txt\"\nsource = \"a.conf\"\n",
			func(t *testing.T, d string) { must(t, os.Symlink(outside, filepath.Join(d, "ext"))) }, "outside"},
		{"rename onto a symlink target", "[[components.a.overlays]]\ntype = \"file-rename\"\nfile = \"link.txt\"\nreplacement = \"moved.txt\"\n",
			func(t *testing.T, d string) { must(t, os.Symlink(victim, filepath.Join(d, "link.txt"))) }, "escapes root"},
		{"archive entry with ..", "[[components.a.overlays]]\ntype = \"file-remove\"\nfile = \"*.txt\"\narchive = \"evil.tar.gz\"\n" +
			"[[components.a.source-files]]\nfilename = \"evil.tar.gz\"\nhash-type = \"SHA512\"\norigin = { type = \"overlay\" }\nreplace-upstream = true\nreplace-reason = \"test\"\n",
			func(t *testing.T, d string) {
				writeTarGz(t, filepath.Join(d, "evil.tar.gz"), "../../../escaped.txt")
				must(t, os.WriteFile(filepath.Join(d, "sources"), []byte("SHA512 (evil.tar.gz) = 00\n"), 0o644))
			}, "unsafe archive entry"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir, _ := project(t, tc.comp, nil)
			tc.setup(t, filepath.Join(dir, "comps/a"))
			c := resolveA(t, dir)
			out := filepath.Join(t.TempDir(), "out")
			p := &Preparer{Opts: Options{OutputDir: out, WithoutGit: true, AllowNoHashes: true, Log: slog.New(slog.DiscardHandler)}}
			err := p.Prepare(context.Background(), c)
			if err == nil {
				t.Fatal("escape was not rejected")
			}
			if tc.want != "" && !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q lacks %q", err, tc.want)
			}
			if got, _ := os.ReadFile(victim); string(got) != "original\n" {
				t.Fatalf("file outside the output was modified: %q", got)
			}
			entries, _ := os.ReadDir(outside)
			if len(entries) != 1 {
				t.Fatalf("files created outside the output: %v", entries)
			}
			if _, err := os.Stat(out); err == nil {
				t.Fatal("output directory exists after a failed run")
			}
		})
	}
}

func writeTarGz(t *testing.T, path, entry string) {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	must(t, tw.WriteHeader(&tar.Header{Name: entry, Mode: 0o644, Size: 2, Typeflag: tar.TypeReg}))
	_, err := tw.Write([]byte("x\n"))
	must(t, err)
	must(t, tw.Close())
	must(t, gz.Close())
	must(t, os.WriteFile(path, buf.Bytes(), 0o644))
}

// TestOutputDirContainingProjectRefused checks that --force can never delete the project.
func TestOutputDirContainingProjectRefused(t *testing.T) {
	dir, c := project(t, "", nil)
	cfg, err := config.Load(config.Options{StartDir: dir})
	must(t, err)
	for _, out := range []string{dir, filepath.Dir(dir)} {
		p := &Preparer{Config: cfg, Opts: Options{OutputDir: out, Force: true, WithoutGit: true, SkipSources: true, Log: slog.New(slog.DiscardHandler)}}
		if err := p.Prepare(context.Background(), c); err == nil || !strings.Contains(err.Error(), "contains the project") {
			t.Fatalf("%s: %v", out, err)
		}
		if _, err := os.Stat(filepath.Join(dir, "azldev.toml")); err != nil {
			t.Fatal("the project was damaged")
		}
	}
}

// TestLooseOverlayTouchingRewrittenArchive checks that a loose-file overlay
// whose glob (doublestar, ** included) matches an archive that archive
// overlays rewrite is refused before anything is prepared.
func TestLooseOverlayTouchingRewrittenArchive(t *testing.T) {
	for _, glob := range []string{"a.tar.gz", "*.tar.gz", "**/*.tar.gz"} {
		_, c := project(t, `[[components.a.overlays]]
type = "file-remove"
archive = "a.tar.gz"
file = "x"
[[components.a.overlays]]
type = "file-remove"
file = "`+glob+`"
[[components.a.source-files]]
filename = "a.tar.gz"
hash-type = "SHA512"
origin = { type = "overlay" }
replace-upstream = true
replace-reason = "test"
`, nil)
		err := prepareTo(t, c, filepath.Join(t.TempDir(), "out"), false)
		if err == nil || !strings.Contains(err.Error(), `would touch archive "a.tar.gz"`) {
			t.Errorf("%s: %v", glob, err)
		}
	}
}

// TestSourcesSymlinkNotWrittenThrough checks that rewriting a symlinked
// sources file replaces the link instead of writing to its target.
func TestSourcesSymlinkNotWrittenThrough(t *testing.T) {
	outside := filepath.Join(t.TempDir(), "victim")
	must(t, os.WriteFile(outside, []byte("SHA512 (a.tar.gz) = 00\n"), 0o644))
	dir, _ := project(t, `[[components.a.source-files]]
filename = "extra.bin"
hash = "ab"
hash-type = "SHA256"
origin = { type = "download", uri = "https://example.invalid/extra.bin" }
`, nil)
	must(t, os.Symlink(outside, filepath.Join(dir, "comps/a/sources")))
	out := filepath.Join(t.TempDir(), "out")
	must(t, prepareTo(t, resolveA(t, dir), out, false))
	if got, _ := os.ReadFile(outside); string(got) != "SHA512 (a.tar.gz) = 00\n" {
		t.Fatalf("the symlink's target was rewritten: %q", got)
	}
	st, err := os.Lstat(filepath.Join(out, "sources"))
	must(t, err)
	if !st.Mode().IsRegular() {
		t.Fatal("sources is still a symlink")
	}
	if got, _ := os.ReadFile(filepath.Join(out, "sources")); !strings.Contains(string(got), "SHA256 (extra.bin) = ab") {
		t.Fatalf("sources:\n%s", got)
	}
}

// prepareIn prepares component a of the project in dir, with its configuration loaded.
func prepareIn(t *testing.T, dir, out string, force bool) error {
	t.Helper()
	cfg, err := config.Load(config.Options{StartDir: dir})
	must(t, err)
	p := &Preparer{Config: cfg, Opts: Options{OutputDir: out, Force: force, WithoutGit: true, SkipSources: true, Log: slog.New(slog.DiscardHandler)}}
	return p.Prepare(context.Background(), resolveA(t, dir))
}

// TestSymlinkedSpecAndDirectory (finding 4): a spec that is a relative link
// elsewhere in the project, and a component directory that is a link, are
// prepared from what they point to; the spec in the output is a file.
func TestSymlinkedSpecAndDirectory(t *testing.T) {
	t.Run("spec", func(t *testing.T) {
		dir, _ := project(t, "", map[string]string{"shared/a.spec": testSpec})
		must(t, os.Remove(filepath.Join(dir, "comps/a/a.spec")))
		must(t, os.Symlink("../../shared/a.spec", filepath.Join(dir, "comps/a/a.spec")))
		out := filepath.Join(t.TempDir(), "out")
		must(t, prepareIn(t, dir, out, false))
		if st, err := os.Lstat(filepath.Join(out, "a.spec")); err != nil || !st.Mode().IsRegular() {
			t.Fatalf("a.spec in the output: %v %v", st, err)
		}
	})
	t.Run("directory", func(t *testing.T) {
		dir, _ := project(t, "", nil)
		must(t, os.Rename(filepath.Join(dir, "comps/a"), filepath.Join(dir, "vendor-a")))
		must(t, os.Symlink("../vendor-a", filepath.Join(dir, "comps/a")))
		out := filepath.Join(t.TempDir(), "out")
		must(t, prepareIn(t, dir, out, false))
		for _, f := range []string{"a.spec", "a.conf", "patches/x.patch"} {
			if _, err := os.Stat(filepath.Join(out, f)); err != nil {
				t.Errorf("%s missing: %v", f, err)
			}
		}
		err := prepareIn(t, dir, filepath.Join(dir, "vendor-a", "out"), false)
		if err == nil || !strings.Contains(err.Error(), "overlaps the sources") {
			t.Errorf("an output inside the linked directory's target: %v", err)
		}
	})
	t.Run("loop", func(t *testing.T) {
		dir, _ := project(t, "", nil)
		must(t, os.Symlink("..", filepath.Join(dir, "comps/a/up")))
		err := prepareIn(t, dir, filepath.Join(t.TempDir(), "out"), false)
		if err == nil || !strings.Contains(err.Error(), "loops back") {
			t.Fatalf("a link back to an enclosing directory: %v", err)
		}
	})
}

// TestOverlaySourceSymlinkConfined (finding 11): an overlay source that is an
// in-project link to a file outside the project is refused, not copied.
func TestOverlaySourceSymlinkConfined(t *testing.T) {
	secret := filepath.Join(t.TempDir(), "passwd")
	must(t, os.WriteFile(secret, []byte("root:x:0:0\n"), 0o644))
	for _, typ := range []string{"file-add", "patch-add"} {
		t.Run(typ, func(t *testing.T) {
			dir, _ := project(t, "[[components.a.overlays]]\ntype = \""+typ+"\"\nfile = \"copied\"\nsource = \"../../files/link\"\n", nil)
			must(t, os.MkdirAll(filepath.Join(dir, "files"), 0o755))
			must(t, os.Symlink(secret, filepath.Join(dir, "files/link")))
			out := filepath.Join(t.TempDir(), "out")
			err := prepareIn(t, dir, out, false)
			if err == nil || !strings.Contains(err.Error(), "outside root") {
				t.Fatalf("err = %v", err)
			}
			if _, err := os.Stat(out); err == nil {
				t.Fatal("an output was written")
			}
		})
	}
	t.Run("in-project link", func(t *testing.T) {
		dir, _ := project(t, "[[components.a.overlays]]\ntype = \"file-add\"\nfile = \"copied\"\nsource = \"../../files/link\"\n",
			map[string]string{"files/real.txt": "fine\n"})
		must(t, os.Symlink("real.txt", filepath.Join(dir, "files/link")))
		out := filepath.Join(t.TempDir(), "out")
		must(t, prepareIn(t, dir, out, false))
		if got, _ := os.ReadFile(filepath.Join(out, "copied")); string(got) != "fine\n" {
			t.Fatalf("copied = %q", got)
		}
	})
}

// TestOutputDirRefusals (findings 1 and 10): --force never replaces a
// directory azldev did not write, nor one overlapping the component's
// sources, the working directory or the project; each refusal names the path.
func TestOutputDirRefusals(t *testing.T) {
	dir, _ := project(t, "", nil)
	precious := filepath.Join(t.TempDir(), "home")
	must(t, os.MkdirAll(filepath.Join(precious, ".ssh"), 0o700))
	must(t, os.WriteFile(filepath.Join(precious, ".ssh", "id"), []byte("key"), 0o600))
	t.Chdir(filepath.Join(dir, "comps"))
	for out, want := range map[string]string{
		precious:                          "was not written by azldev",
		filepath.Join(dir, "comps"):       "contains the working directory",
		filepath.Join(dir, "comps", "a"):  "overlaps the sources of component `a`",
		filepath.Join(dir, "comps/a/out"): "overlaps the sources of component `a`",
		"/":                               "filesystem root",
		filepath.Join(dir, "out"):         "", // inside the project: fine
	} {
		err := prepareIn(t, dir, out, true)
		if want == "" {
			must(t, err)
			continue
		}
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("-o %s --force: %v, want %q", out, err, want)
		} else if out != "/" && !strings.Contains(err.Error(), out) {
			t.Errorf("-o %s: the error does not name the path: %v", out, err)
		}
	}
	if got, _ := os.ReadFile(filepath.Join(precious, ".ssh", "id")); string(got) != "key" {
		t.Fatal("the precious directory was touched")
	}
	if _, err := os.Stat(filepath.Join(dir, "comps/a/a.spec")); err != nil {
		t.Fatal("the component's sources were touched")
	}
}
