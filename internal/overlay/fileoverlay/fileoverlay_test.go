package fileoverlay

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/azlforge/azldev/internal/foundation/safepath"
	"github.com/azlforge/azldev/internal/testutil"
)

// fixture creates base/{root,outside} with the given files (content "<name>\n")
// in root and a "secret" file in outside, and returns root and outside.
func fixture(t *testing.T, files ...string) (root, outside string) {
	t.Helper()
	base := t.TempDir()
	root = filepath.Join(base, "root")
	outside = filepath.Join(base, "outside")
	mkdir(t, root)
	mkdir(t, outside)
	write(t, filepath.Join(outside, "secret"), "secret\n", 0o644)
	for _, f := range files {
		p := filepath.Join(root, f)
		mkdir(t, filepath.Dir(p))
		write(t, p, f+"\n", 0o644)
	}
	return root, outside
}

func mkdir(t *testing.T, p string) {
	t.Helper()
	if err := os.MkdirAll(p, 0o755); err != nil {
		t.Fatal(err)
	}
}

func write(t *testing.T, p, content string, perm fs.FileMode) {
	t.Helper()
	if err := os.WriteFile(p, []byte(content), perm); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(p, perm); err != nil {
		t.Fatal(err)
	}
}

func symlink(t *testing.T, target, p string) {
	t.Helper()
	if err := os.Symlink(target, p); err != nil {
		t.Fatal(err)
	}
}

func read(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// snapshot records every entry below dir with its mode and content.
func snapshot(t *testing.T, dir string) map[string]string { return testutil.Snapshot(t, dir) }

// assertUnchanged fails when dir differs from an earlier snapshot.
func assertUnchanged(t *testing.T, dir string, before map[string]string) {
	t.Helper()
	if after := snapshot(t, dir); !reflect.DeepEqual(before, after) {
		t.Errorf("%s changed:\nbefore %v\nafter  %v", dir, before, after)
	}
}

func wantErr(t *testing.T, err, target error, mentions ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("expected error %v, got nil", target)
	}
	if target != nil && !errors.Is(err, target) {
		t.Fatalf("error %q is not %v", err, target)
	}
	for _, m := range mentions {
		if !strings.Contains(err.Error(), m) {
			t.Errorf("error %q does not mention %q", err, m)
		}
	}
}

func TestGlob(t *testing.T) {
	root, outside := fixture(t, "a.txt", "b.spec", "sub/c.txt", "sub/deep/d.txt",
		".git/config", "sub/.git/HEAD", "dir.spec/e.txt", ".hidden")
	mkdir(t, filepath.Join(root, "emptydir"))
	symlink(t, "sub", filepath.Join(root, "linkdir"))
	symlink(t, "a.txt", filepath.Join(root, "linkfile"))
	_ = outside

	cases := map[string][]string{
		"**":          {".hidden", "a.txt", "dir.spec/e.txt", "linkdir", "linkfile", "sub/c.txt", "sub/deep/d.txt"},
		"*":           {".hidden", "a.txt", "linkdir", "linkfile"},
		"**/*.txt":    {"a.txt", "dir.spec/e.txt", "sub/c.txt", "sub/deep/d.txt"},
		"sub/**":      {"sub/c.txt", "sub/deep/d.txt"},
		"b.spec":      nil,
		"*.spec":      nil,
		".git/config": nil,
		"emptydir":    nil,
		"sub":         nil,
		"linkdir/*":   {"linkdir/c.txt"},
		"{a,x}.txt":   {"a.txt"},
	}
	for pattern, want := range cases {
		got, err := Glob(root, pattern)
		if err != nil {
			t.Errorf("Glob(%q): %v", pattern, err)
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Glob(%q) = %q, want %q", pattern, got, want)
		}
	}
}

func TestGlobRejectsBadPatterns(t *testing.T) {
	root, _ := fixture(t, "a.txt")
	for _, p := range []string{"", "../*", "/etc/*", "a/../../x", "[", "a{b"} {
		if _, err := Glob(root, p); err == nil {
			t.Errorf("Glob(%q) succeeded", p)
		} else if p != "" && !strings.Contains(err.Error(), p) {
			t.Errorf("Glob(%q) error %q does not name the pattern", p, err)
		}
	}
}

func TestGlobRejectsSymlinkEscapes(t *testing.T) {
	root, outside := fixture(t, "a.txt")
	symlink(t, filepath.Join(outside, "secret"), filepath.Join(root, "abs-out"))
	_, err := Glob(root, "*")
	wantErr(t, err, safepath.ErrEscapesRoot, "abs-out", `"*"`)

	root2, outside2 := fixture(t, "a.txt")
	symlink(t, "../outside", filepath.Join(root2, "outdir"))
	_, err = Glob(root2, "outdir/secret")
	wantErr(t, err, safepath.ErrEscapesRoot, "outdir/secret")
	_, err = Glob(root2, "outdir/*")
	wantErr(t, err, safepath.ErrEscapesRoot)
	// "**" does not traverse the symlinked directory, but matches the link itself.
	_, err = Glob(root2, "**")
	wantErr(t, err, safepath.ErrEscapesRoot, "outdir")
	_ = outside2
}

func TestFilePrependLines(t *testing.T) {
	root, _ := fixture(t, "a.txt", "sub/b.txt", "c.spec")
	write(t, filepath.Join(root, "run.sh"), "echo hi\n", 0o755)

	if err := FilePrependLines(root, "**/*.txt", []string{"one", "two"}); err != nil {
		t.Fatal(err)
	}
	if got := read(t, filepath.Join(root, "a.txt")); got != "one\ntwo\na.txt\n" {
		t.Errorf("a.txt = %q", got)
	}
	if got := read(t, filepath.Join(root, "sub/b.txt")); got != "one\ntwo\nsub/b.txt\n" {
		t.Errorf("sub/b.txt = %q", got)
	}
	if err := FilePrependLines(root, "run.sh", []string{"#!/bin/sh"}); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(filepath.Join(root, "run.sh"))
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o755 {
		t.Errorf("run.sh mode = %v, want 0755 kept", info.Mode())
	}
	err = FilePrependLines(root, "*.spec", []string{"x"})
	wantErr(t, err, ErrNoMatch, `"*.spec"`)
	if got := read(t, filepath.Join(root, "c.spec")); got != "c.spec\n" {
		t.Errorf("spec file modified: %q", got)
	}
}

func TestFilePrependLinesThroughInternalSymlink(t *testing.T) {
	root, _ := fixture(t, "real.txt")
	symlink(t, "real.txt", filepath.Join(root, "link.txt"))
	if err := FilePrependLines(root, "link.txt", []string{"x"}); err != nil {
		t.Fatal(err)
	}
	if got := read(t, filepath.Join(root, "real.txt")); got != "x\nreal.txt\n" {
		t.Errorf("real.txt = %q", got)
	}
	if fi, _ := os.Lstat(filepath.Join(root, "link.txt")); fi.Mode()&fs.ModeSymlink == 0 {
		t.Error("link.txt is no longer a symlink")
	}
}

func TestFileSearchReplace(t *testing.T) {
	root, _ := fixture(t, "a.txt", "b.txt")
	write(t, filepath.Join(root, "conf.ac"), "AC_CHECK_LIB(old_lib)\nold_lib\n", 0o600)

	err := FileSearchReplace(root, "conf.ac", `AC_CHECK_LIB\((old)_lib`, "AC_CHECK_LIB($1_new")
	if err != nil {
		t.Fatal(err)
	}
	if got := read(t, filepath.Join(root, "conf.ac")); got != "AC_CHECK_LIB($1_new)\nold_lib\n" {
		t.Errorf("conf.ac = %q", got)
	}
	if fi, _ := os.Stat(filepath.Join(root, "conf.ac")); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode not kept: %v", fi.Mode())
	}

	// ^ and $ anchor to the whole file unless (?m) is given.
	if err := FileSearchReplace(root, "conf.ac", `^old_lib$`, "x"); !errors.Is(err, ErrNotApplied) {
		t.Errorf("file-anchored regex: err = %v, want ErrNotApplied", err)
	}
	if err := FileSearchReplace(root, "conf.ac", `(?m)^old_lib$`, "new_lib"); err != nil {
		t.Fatal(err)
	}
	if got := read(t, filepath.Join(root, "conf.ac")); got != "AC_CHECK_LIB($1_new)\nnew_lib\n" {
		t.Errorf("conf.ac = %q", got)
	}

	// Succeeds when at least one matched file changes.
	if err := FileSearchReplace(root, "*.txt", `^a\.txt`, "A"); err != nil {
		t.Fatal(err)
	}
	if got := read(t, filepath.Join(root, "a.txt")); got != "A\n" {
		t.Errorf("a.txt = %q", got)
	}
	if got := read(t, filepath.Join(root, "b.txt")); got != "b.txt\n" {
		t.Errorf("b.txt = %q", got)
	}
}

func TestFileSearchReplaceErrors(t *testing.T) {
	root, _ := fixture(t, "a.txt")
	err := FileSearchReplace(root, "a.txt", "zzz", "y")
	wantErr(t, err, ErrNotApplied, "did not apply to any targets", `"zzz"`, `"a.txt"`)
	err = FileSearchReplace(root, "nope*", "a", "b")
	wantErr(t, err, ErrNoMatch, `"nope*"`)
	err = FileSearchReplace(root, "a.txt", "(", "b")
	wantErr(t, err, nil, `"("`)
}

func TestFileSearchReplaceNotRegular(t *testing.T) {
	root, _ := fixture(t, "a.txt", "sub/x")
	symlink(t, "sub", filepath.Join(root, "dirlink"))
	before := snapshot(t, root)
	err := FileSearchReplace(root, "*", "a", "b")
	wantErr(t, err, ErrNotRegular, "dirlink")
	assertUnchanged(t, root, before)
}

func TestEditRejectsEscapingSymlink(t *testing.T) {
	root, outside := fixture(t, "a.txt")
	symlink(t, "../outside/secret", filepath.Join(root, "b.txt"))
	beforeOut, beforeRoot := snapshot(t, outside), snapshot(t, root)

	err := FileSearchReplace(root, "*.txt", "secret", "pwned")
	wantErr(t, err, safepath.ErrEscapesRoot, "b.txt")
	err = FilePrependLines(root, "b.txt", []string{"pwned"})
	wantErr(t, err, safepath.ErrEscapesRoot, "b.txt")

	assertUnchanged(t, outside, beforeOut)
	assertUnchanged(t, root, beforeRoot)
}

func TestFileAdd(t *testing.T) {
	root, outside := fixture(t, "sub/existing")
	src := filepath.Join(outside, "src.sh")
	write(t, src, "#!/bin/sh\n", 0o750)

	if err := FileAdd(root, "sub/new.sh", src); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(root, "sub/new.sh")
	if got := read(t, p); got != "#!/bin/sh\n" {
		t.Errorf("content = %q", got)
	}
	if fi, _ := os.Stat(p); fi.Mode().Perm() != 0o750 {
		t.Errorf("mode = %v, want 0750", fi.Mode())
	}
}

func TestFileAddErrors(t *testing.T) {
	root, outside := fixture(t, "sub/existing")
	src := filepath.Join(outside, "secret")
	symlink(t, "../outside", filepath.Join(root, "outdir"))
	symlink(t, "../outside/new-file", filepath.Join(root, "dangling"))
	beforeOut := snapshot(t, outside)

	cases := []struct {
		dest string
		want error
	}{
		{"sub/existing", ErrExists},
		{"dangling", ErrExists},
		{"missing/new.txt", nil},
		{"x.spec", ErrSpecDestination},
		{"outdir/new.txt", safepath.ErrEscapesRoot},
		{"../outside/new.txt", safepath.ErrEscapesRoot},
		{filepath.Join(outside, "abs.txt"), safepath.ErrAbsolute},
		{"", safepath.ErrEmpty},
		{"sub/..", safepath.ErrBadFileName},
	}
	for _, c := range cases {
		err := FileAdd(root, c.dest, src)
		if err == nil {
			t.Errorf("FileAdd(%q) succeeded", c.dest)
			continue
		}
		if c.want != nil && !errors.Is(err, c.want) {
			t.Errorf("FileAdd(%q) = %v, want %v", c.dest, err, c.want)
		}
		if c.dest != "" && !strings.Contains(err.Error(), c.dest) {
			t.Errorf("FileAdd(%q) error %q does not name the destination", c.dest, err)
		}
	}
	if _, err := os.Stat(filepath.Join(root, "missing")); !errors.Is(err, fs.ErrNotExist) {
		t.Error("file-add created a parent directory")
	}
	if err := FileAdd(root, "new.txt", filepath.Join(outside, "nope")); err == nil {
		t.Error("FileAdd with a missing source succeeded")
	}
	if _, err := os.Lstat(filepath.Join(root, "new.txt")); !errors.Is(err, fs.ErrNotExist) {
		t.Error("failed FileAdd left a destination behind")
	}
	assertUnchanged(t, outside, beforeOut)
}

func TestFileRemove(t *testing.T) {
	root, _ := fixture(t, "vendor/a/x.c", "vendor/b.c", "keep.c", "vendor/pkg.spec")
	if err := FileRemove(root, "vendor/**"); err != nil {
		t.Fatal(err)
	}
	for _, gone := range []string{"vendor/a/x.c", "vendor/b.c"} {
		if _, err := os.Lstat(filepath.Join(root, gone)); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s not removed", gone)
		}
	}
	for _, kept := range []string{"vendor/a", "vendor", "keep.c", "vendor/pkg.spec"} {
		if _, err := os.Lstat(filepath.Join(root, kept)); err != nil {
			t.Errorf("%s removed: %v", kept, err)
		}
	}
	err := FileRemove(root, "vendor/**")
	wantErr(t, err, ErrNoMatch, `"vendor/**"`)
}

func TestFileRemoveSymlinks(t *testing.T) {
	root, outside := fixture(t, "a.txt")
	symlink(t, "a.txt", filepath.Join(root, "in-link"))
	if err := FileRemove(root, "in-link"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "a.txt")); err != nil {
		t.Errorf("symlink target removed: %v", err)
	}

	symlink(t, "../outside/secret", filepath.Join(root, "out-link"))
	symlink(t, "../outside", filepath.Join(root, "outdir"))
	before, beforeRoot := snapshot(t, outside), snapshot(t, root)
	wantErr(t, FileRemove(root, "*"), safepath.ErrEscapesRoot)
	wantErr(t, FileRemove(root, "outdir/secret"), safepath.ErrEscapesRoot, "outdir/secret")
	wantErr(t, FileRemove(root, "outdir/*"), safepath.ErrEscapesRoot)
	assertUnchanged(t, outside, before)
	assertUnchanged(t, root, beforeRoot)
}

func TestFileRename(t *testing.T) {
	root, _ := fixture(t, "sub/old.txt", "a1", "a2")
	if err := FileRename(root, "**/old.txt", "new.txt"); err != nil {
		t.Fatal(err)
	}
	if got := read(t, filepath.Join(root, "sub/new.txt")); got != "sub/old.txt\n" {
		t.Errorf("renamed content = %q", got)
	}
	if _, err := os.Lstat(filepath.Join(root, "sub/old.txt")); !errors.Is(err, fs.ErrNotExist) {
		t.Error("old name still exists")
	}
	wantErr(t, FileRename(root, "a*", "b"), ErrMultipleMatches, `"a*"`)
	wantErr(t, FileRename(root, "nothing", "b"), ErrNoMatch, `"nothing"`)
	for _, bad := range []string{"x/y", "..", ".", ""} {
		wantErr(t, FileRename(root, "a1", bad), safepath.ErrBadFileName)
	}
	if _, err := os.Stat(filepath.Join(root, "a1")); err != nil {
		t.Errorf("a1 touched by rejected renames: %v", err)
	}
}

func TestFileRenameEscape(t *testing.T) {
	root, outside := fixture(t, "a.txt")
	symlink(t, "../outside", filepath.Join(root, "outdir"))
	before := snapshot(t, outside)
	wantErr(t, FileRename(root, "outdir/secret", "moved"), safepath.ErrEscapesRoot)
	wantErr(t, FileRename(root, "../outside/secret", "moved"), safepath.ErrEscapesRoot)
	assertUnchanged(t, outside, before)
}

func TestPatchAddAndRemove(t *testing.T) {
	root, outside := fixture(t, "existing.patch")
	src := filepath.Join(outside, "fix.patch")
	write(t, src, "diff\n", 0o644)

	if err := PatchAdd(root, "", src); err != nil {
		t.Fatal(err)
	}
	if got := read(t, filepath.Join(root, "fix.patch")); got != "diff\n" {
		t.Errorf("fix.patch = %q", got)
	}
	if err := PatchAdd(root, "renamed.patch", src); err != nil {
		t.Fatal(err)
	}
	wantErr(t, PatchAdd(root, "", src), ErrExists, "fix.patch")

	if err := PatchRemove(root, "*.patch"); err != nil {
		t.Fatal(err)
	}
	if m, _ := Glob(root, "**"); len(m) != 0 {
		t.Errorf("files left after patch removal: %q", m)
	}
	wantErr(t, PatchRemove(root, "*.patch"), ErrNoMatch, `"*.patch"`)
}
