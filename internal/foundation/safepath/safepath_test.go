package safepath

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestValidateRelative(t *testing.T) {
	good := []string{"a", "a/b", "./a", "a/../b", ".", "a/b/.."}
	for _, p := range good {
		if err := ValidateRelative(p); err != nil {
			t.Errorf("ValidateRelative(%q) = %v, want nil", p, err)
		}
	}
	bad := map[string]error{
		"":          ErrEmpty,
		"/etc":      ErrAbsolute,
		"..":        ErrEscapesRoot,
		"../x":      ErrEscapesRoot,
		"a/../../x": ErrEscapesRoot,
	}
	for p, want := range bad {
		err := ValidateRelative(p)
		if !errors.Is(err, want) {
			t.Errorf("ValidateRelative(%q) = %v, want %v", p, err, want)
		}
		if p != "" && !strings.Contains(err.Error(), p) {
			t.Errorf("error %q does not name the path %q", err, p)
		}
	}
}

func TestCheckFileName(t *testing.T) {
	for _, n := range []string{"a", "a.tar.gz", ".hidden", "..x"} {
		if err := CheckFileName(n); err != nil {
			t.Errorf("CheckFileName(%q) = %v", n, err)
		}
	}
	for _, n := range []string{"", ".", "..", "a/b", "/a", `a\b`, "a\x00b"} {
		if err := CheckFileName(n); !errors.Is(err, ErrBadFileName) {
			t.Errorf("CheckFileName(%q) = %v, want ErrBadFileName", n, err)
		}
	}
}

// setup builds root/{dir/file, inlink->dir, outlink->outside, abslink->outside(abs),
// dotdot->.., chain->inlink/../outlink} and returns root and outside.
func setup(t *testing.T) (root, outside string) {
	t.Helper()
	base := t.TempDir()
	root = filepath.Join(base, "root")
	outside = filepath.Join(base, "outside")
	for _, d := range []string{filepath.Join(root, "dir"), outside} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	mustWrite(t, filepath.Join(root, "dir", "file"))
	mustWrite(t, filepath.Join(outside, "secret"))
	links := map[string]string{
		"inlink":   "dir",
		"outlink":  "../outside",
		"abslink":  outside,
		"absin":    filepath.Join(root, "dir"),
		"dotdot":   "..",
		"chain":    "inlink/../outlink",
		"loop":     "loop",
		"deeplink": "dir/../dir/file",
	}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(root, name)); err != nil {
			t.Fatal(err)
		}
	}
	return root, outside
}

func mustWrite(t *testing.T, p string) {
	t.Helper()
	if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestJoinResolvesInside(t *testing.T) {
	root, _ := setup(t)
	realRoot, err := RealRoot(root)
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]string{
		"dir/file":        "dir/file",
		"inlink/file":     "dir/file",
		"inlink":          "dir",
		"absin/file":      "dir/file",
		"deeplink":        "dir/file",
		"missing/new":     "missing/new",
		"inlink/new/deep": "dir/new/deep",
		"dir/../dir/file": "dir/file",
		".":               "",
	}
	for rel, want := range cases {
		got, err := Join(root, rel)
		if err != nil {
			t.Errorf("Join(%q): %v", rel, err)
			continue
		}
		if w := filepath.Join(realRoot, want); got != w {
			t.Errorf("Join(%q) = %q, want %q", rel, got, w)
		}
	}
}

func TestJoinRejectsEscapes(t *testing.T) {
	root, _ := setup(t)
	for _, rel := range []string{
		"outlink", "outlink/secret", "abslink/secret", "dotdot", "dotdot/outside/secret",
		"chain", "chain/secret", "../outside/secret", "/etc/passwd", "inlink/../../x",
	} {
		_, err := Join(root, rel)
		if !errors.Is(err, ErrEscapesRoot) && !errors.Is(err, ErrAbsolute) {
			t.Errorf("Join(%q) = %v, want an escape error", rel, err)
			continue
		}
		if !strings.Contains(err.Error(), root) {
			t.Errorf("Join(%q) error %q does not name the root", rel, err)
		}
	}
}

func TestJoinSymlinkLoop(t *testing.T) {
	root, _ := setup(t)
	if _, err := Join(root, "loop"); !errors.Is(err, ErrSymlinkLoop) {
		t.Fatalf("Join(loop) = %v, want ErrSymlinkLoop", err)
	}
}

func TestJoinNoFollow(t *testing.T) {
	root, _ := setup(t)
	realRoot, _ := RealRoot(root)
	got, err := JoinNoFollow(root, "outlink")
	if err != nil {
		t.Fatalf("JoinNoFollow(outlink): %v", err)
	}
	if want := filepath.Join(realRoot, "outlink"); got != want {
		t.Errorf("JoinNoFollow(outlink) = %q, want %q", got, want)
	}
	got, err = JoinNoFollow(root, "inlink/file")
	if err != nil || got != filepath.Join(realRoot, "dir", "file") {
		t.Errorf("JoinNoFollow(inlink/file) = %q, %v", got, err)
	}
	if _, err := JoinNoFollow(root, "outlink/secret"); !errors.Is(err, ErrEscapesRoot) {
		t.Errorf("JoinNoFollow(outlink/secret) = %v, want ErrEscapesRoot", err)
	}
	if _, err := JoinNoFollow(root, "dotdot/x"); !errors.Is(err, ErrEscapesRoot) {
		t.Errorf("JoinNoFollow(dotdot/x) = %v, want ErrEscapesRoot", err)
	}
}

func TestWithin(t *testing.T) {
	cases := []struct {
		dir, p string
		want   bool
	}{
		{"/a", "/a", true},
		{"/a", "/a/b", true},
		{"/a", "/ab", false},
		{"/a", "/", false},
		{"/", "/x", true},
	}
	for _, c := range cases {
		if got := Within(c.dir, c.p); got != c.want {
			t.Errorf("Within(%q, %q) = %v, want %v", c.dir, c.p, got, c.want)
		}
	}
}

func TestRootMissing(t *testing.T) {
	if _, err := Join(filepath.Join(t.TempDir(), "nope"), "x"); err == nil {
		t.Fatal("Join with a missing root succeeded")
	}
}

func TestReal(t *testing.T) {
	root := t.TempDir()
	realRoot, _ := filepath.EvalSymlinks(root)
	if err := os.MkdirAll(filepath.Join(root, "a", "b"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(root, "a", "b"), filepath.Join(root, "l")); err != nil {
		t.Fatal(err)
	}
	for in, want := range map[string]string{
		filepath.Join(root, "l"):                realRoot + "/a/b",
		filepath.Join(root, "l", "new", "deep"): realRoot + "/a/b/new/deep",
		filepath.Join(root, "a"):                realRoot + "/a",
	} {
		if got, err := Real(in); err != nil || got != want {
			t.Errorf("Real(%s) = %q, %v; want %q", in, got, err, want)
		}
	}
}

func TestResolve(t *testing.T) {
	root, outside := t.TempDir(), t.TempDir()
	realRoot, _ := filepath.EvalSymlinks(root)
	if err := os.WriteFile(filepath.Join(root, "f"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for name, target := range map[string]string{"in": "f", "out": filepath.Join(outside, "secret")} {
		if err := os.Symlink(target, filepath.Join(root, name)); err != nil {
			t.Fatal(err)
		}
	}
	if got, err := Resolve(root, filepath.Join(root, "in")); err != nil || got != filepath.Join(realRoot, "f") {
		t.Errorf("Resolve(in) = %q, %v", got, err)
	}
	if _, err := Resolve(root, filepath.Join(root, "out")); !errors.Is(err, ErrEscapesRoot) {
		t.Errorf("Resolve(out) = %v, want ErrEscapesRoot", err)
	}
}
