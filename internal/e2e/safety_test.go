package e2e

import (
	"crypto/sha256"
	"fmt"
	"io/fs"
	"maps"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// localProject writes a project with one local component, hello, whose
// directory holds extra files (so that copying it takes a moment).
func localProject(t *testing.T, dir string, extraFiles int) {
	t.Helper()
	writeFile(t, filepath.Join(dir, "azldev.toml"), `includes = ["comps/*/*.comp.toml"]
[project]
default-distro = { name = "d", version = "1" }
[distros.d]
default-version = "1"
[distros.d.versions.1]
release-ver = "1"
`)
	writeFile(t, filepath.Join(dir, "comps/hello/hello.comp.toml"), "[components.hello]\nspec = { type = \"local\", path = \"hello.spec\" }\n")
	setVersion(t, dir, "1")
	for i := range extraFiles {
		writeFile(t, filepath.Join(dir, "comps/hello/data", fmt.Sprintf("d%02d/f%04d.txt", i%50, i)), strings.Repeat("data\n", 200))
	}
}

// setVersion rewrites hello's spec with another version.
func setVersion(t *testing.T, dir, version string) {
	t.Helper()
	writeFile(t, filepath.Join(dir, "comps/hello/hello.spec"),
		"Name: hello\nVersion: "+version+"\nRelease: 1%{?dist}\nSummary: Hi\nLicense: MIT\n\n%description\nHi.\n\n%files\n")
}

// tree returns every file under dir (relative path → content hash); a
// missing dir has none.
func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		files[rel] = fmt.Sprintf("%x", sha256.Sum256(data))
		return nil
	})
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return files
}

// leftovers lists the scratch entries (staging, trash, temporary files,
// clones) in dir; a missing dir has none.
func leftovers(dir string) []string {
	entries, _ := os.ReadDir(dir)
	var out []string
	for _, e := range entries {
		for _, tag := range []string{".azldev-staging-", ".azldev-trash-", ".tmp-", ".clone-"} {
			if strings.Contains(e.Name(), tag) {
				out = append(out, e.Name())
			}
		}
	}
	return out
}

// TestForceReplacesOnlyOwnedOutputs (finding 1): --force refuses the home
// directory, the repository's .git and the component sources, naming the
// path and why; it replaces an output azldev wrote, and an empty directory.
func TestForceReplacesOnlyOwnedOutputs(t *testing.T) {
	e := newEnv(t)
	project := t.TempDir()
	localProject(t, project, 0)
	if out, err := exec.Command("git", "-C", project, "init", "-q").CombinedOutput(); err != nil {
		t.Fatalf("git init: %v\n%s", err, out)
	}
	prep := func(out string, force bool) (string, int) {
		args := []string{"component", "prepare-sources", "-p", "hello", "-o", out, "--without-git"}
		if force {
			args = append(args, "--force")
		}
		_, stderr, code := e.azldev(project, args...)
		return stderr, code
	}
	for _, tc := range []struct{ out, why, precious string }{
		{e.home, "was not written by azldev", ".gitconfig"},
		{filepath.Join(project, ".git"), "was not written by azldev", "HEAD"},
		{filepath.Join(project, "comps"), "overlaps the sources of component `hello`", "hello/hello.spec"},
	} {
		before := mustRead(t, filepath.Join(tc.out, tc.precious))
		stderr, code := prep(tc.out, true)
		if code == 0 || !strings.Contains(stderr, tc.out) || !strings.Contains(stderr, tc.why) {
			t.Errorf("-o %s --force: exit %d, want a refusal naming the path and %q:\n%s", tc.out, code, tc.why, stderr)
		}
		if after, err := os.ReadFile(filepath.Join(tc.out, tc.precious)); err != nil || string(after) != string(before) {
			t.Errorf("-o %s --force changed %s: %v", tc.out, tc.precious, err)
		}
	}
	out := filepath.Join(t.TempDir(), "out")
	if stderr, code := prep(out, false); code != 0 {
		t.Fatalf("first run: %s", stderr)
	}
	setVersion(t, project, "2")
	if stderr, code := prep(out, false); code == 0 || !strings.Contains(stderr, "use --force") {
		t.Errorf("non-empty output without --force: exit %d\n%s", code, stderr)
	}
	if stderr, code := prep(out, true); code != 0 {
		t.Fatalf("--force on azldev's own output: %s", stderr)
	}
	if spec := mustRead(t, filepath.Join(out, "hello.spec")); !strings.Contains(string(spec), "Version: 2") {
		t.Errorf("output not replaced:\n%s", spec)
	}
	empty := filepath.Join(t.TempDir(), "empty")
	if err := os.Mkdir(empty, 0o755); err != nil {
		t.Fatal(err)
	}
	if stderr, code := prep(empty, false); code != 0 {
		t.Errorf("an empty directory: %s", stderr)
	}
}

// TestKilledPrepareLeavesWholeOutput (findings 2 and 3): prepare-sources
// --force killed with SIGKILL at many points leaves the old output or the
// new one, whole, and the next run sweeps the killed run's staging and
// temporary entries. The points: when the staging directory appears, at
// fractions of a whole run after that, and when the ownership marker names
// both trees (the instant of the swap).
func TestKilledPrepareLeavesWholeOutput(t *testing.T) {
	e := newEnv(t)
	project := t.TempDir()
	localProject(t, project, 400)
	parent := t.TempDir()
	out := filepath.Join(parent, "out")
	args := []string{"component", "prepare-sources", "-p", "hello", "-o", out, "--without-git", "--force"}
	run := func() *exec.Cmd {
		cmd := exec.Command(binary, args...)
		cmd.Dir, cmd.Env = project, e.vars
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd
	}
	e.mustAzldev(project, args...)
	cmd := run()
	waitFor(func() bool { return len(leftovers(parent)) > 0 })
	began := time.Now()
	if err := cmd.Wait(); err != nil {
		t.Fatal(err)
	}
	whole := time.Since(began)
	var points []func()
	for k := range 8 {
		points = append(points, func() {
			waitFor(func() bool { return len(leftovers(parent)) > 0 })
			time.Sleep(whole * time.Duration(k) / 6)
		})
	}
	points = append(points, func() {
		waitFor(func() bool {
			return strings.Count(string(readOrNil(filepath.Join(parent, ".out.azldev-owned"))), "\n") == 3
		})
	})
	swept := 0
	for i, wait := range points {
		old := tree(t, out)
		setVersion(t, project, fmt.Sprint(i+2))
		cmd := run()
		wait()
		_ = cmd.Process.Signal(syscall.SIGKILL)
		_ = cmd.Wait()
		killed := tree(t, out)
		left := leftovers(parent)
		swept += len(left)
		t.Logf("point %d: old=%v left=%v", i, maps.Equal(killed, old), left)
		e.mustAzldev(project, args...)
		fresh := tree(t, out)
		if !maps.Equal(killed, old) && !maps.Equal(killed, fresh) {
			t.Fatalf("kill point %d: the output is neither the old tree (%d files) nor the new one (%d files): %d files",
				i, len(old), len(fresh), len(killed))
		}
		if rest := leftovers(parent); len(rest) > 0 {
			t.Fatalf("kill point %d: the next run left %v", i, rest)
		}
	}
	if swept == 0 {
		t.Error("no kill left anything to sweep; the test did not exercise the sweep")
	}
}

// waitFor polls cond until it holds, for at most ten seconds.
func waitFor(cond func() bool) {
	for end := time.Now().Add(10 * time.Second); time.Now().Before(end) && !cond(); {
		time.Sleep(100 * time.Microsecond)
	}
}

func readOrNil(path string) []byte {
	data, _ := os.ReadFile(path)
	return data
}

// TestConfigFindings runs the configuration findings on the binary: a
// project path with glob metacharacters (7), an I/O error under an include
// glob (8), component names outside the reference's rule (9) and a problem in
// a later overlay table (6).
func TestConfigFindings(t *testing.T) {
	e := newEnv(t)
	t.Run("metacharacters in the project path", func(t *testing.T) {
		project := filepath.Join(t.TempDir(), "p[1]{a,b}")
		localProject(t, project, 0)
		out := e.mustAzldev(project, "component", "list", "-a", "-O", "json")
		if !strings.Contains(out, `"hello"`) {
			t.Fatalf("component list -a: %s", out)
		}
	})
	t.Run("I/O error under an include glob", func(t *testing.T) {
		project := t.TempDir()
		localProject(t, project, 0)
		loop := filepath.Join(project, "comps", "loop")
		if err := os.Symlink("loop", loop); err != nil {
			t.Fatal(err)
		}
		_, stderr, code := e.azldev(project, "component", "list", "-a")
		if code == 0 || !strings.Contains(stderr, loop+":") {
			t.Fatalf("exit %d, want an error naming %s:\n%s", code, loop, stderr)
		}
	})
	t.Run("component names", func(t *testing.T) {
		for _, name := range []string{"x;rm -rf $HOME", "a b", "caf\u00e9", "tab\there", "-rf"} {
			project := t.TempDir()
			localProject(t, project, 0)
			writeFile(t, filepath.Join(project, "comps/bad/bad.comp.toml"), fmt.Sprintf("[components.%q]\n", name))
			_, stderr, code := e.azldev(project, "component", "list", "-a")
			if code == 0 || !strings.Contains(stderr, "comps/bad/bad.comp.toml:1:") || !strings.Contains(stderr, "invalid component name") {
				t.Errorf("%q: exit %d\n%s", name, code, stderr)
			}
		}
	})
	t.Run("second overlay", func(t *testing.T) {
		project := t.TempDir()
		localProject(t, project, 0)
		writeFile(t, filepath.Join(project, "comps/hello/hello.comp.toml"), `[components.hello]
spec = { type = "local", path = "hello.spec" }
[[components.hello.overlays]]
type = "spec-add-tag"
tag = "A"
value = "b"
[[components.hello.overlays]]
type = "spec-add-tag"
tag = "C"
`)
		_, stderr, code := e.azldev(project, "component", "list", "-a")
		if code == 0 || !strings.Contains(stderr, "comps/hello/hello.comp.toml:7:") {
			t.Fatalf("exit %d, want the second overlay's line 7:\n%s", code, stderr)
		}
	})
}

// TestSymlinkedComponentSources (findings 4, 10, 11 on the binary): a spec
// linked from elsewhere in the project and a linked component directory are
// prepared; an output inside the component's directory and an overlay source
// linking out of the project are refused.
func TestSymlinkedComponentSources(t *testing.T) {
	e := newEnv(t)
	prepare := func(project, out string) (string, int) {
		_, stderr, code := e.azldev(project, "component", "prepare-sources", "-p", "hello", "-o", out, "--without-git")
		return stderr, code
	}
	t.Run("spec link", func(t *testing.T) {
		project := t.TempDir()
		localProject(t, project, 0)
		spec := filepath.Join(project, "comps/hello/hello.spec")
		if err := os.Rename(spec, filepath.Join(project, "hello.spec")); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink("../../hello.spec", spec); err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(t.TempDir(), "out")
		if stderr, code := prepare(project, out); code != 0 {
			t.Fatalf("exit %d:\n%s", code, stderr)
		}
		if st, err := os.Lstat(filepath.Join(out, "hello.spec")); err != nil || !st.Mode().IsRegular() {
			t.Fatalf("hello.spec: %v %v", st, err)
		}
	})
	t.Run("directory link", func(t *testing.T) {
		project := t.TempDir()
		localProject(t, project, 0)
		dir := filepath.Join(project, "comps/hello")
		if err := os.Rename(dir, filepath.Join(project, "hello-real")); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink("../hello-real", dir); err != nil {
			t.Fatal(err)
		}
		if stderr, code := prepare(project, filepath.Join(t.TempDir(), "out")); code != 0 {
			t.Fatalf("exit %d:\n%s", code, stderr)
		}
	})
	t.Run("output inside the component", func(t *testing.T) {
		project := t.TempDir()
		localProject(t, project, 0)
		out := filepath.Join(project, "comps/hello/out")
		stderr, code := prepare(project, out)
		if code == 0 || !strings.Contains(stderr, "overlaps the sources of component `hello`") {
			t.Fatalf("exit %d:\n%s", code, stderr)
		}
	})
	t.Run("overlay source linking out", func(t *testing.T) {
		project := t.TempDir()
		localProject(t, project, 0)
		secret := filepath.Join(t.TempDir(), "passwd")
		writeFile(t, secret, "root:x:0:0\n")
		if err := os.Symlink(secret, filepath.Join(project, "comps/hello/passwd")); err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(project, "comps/hello/hello.comp.toml"), "[components.hello]\nspec = { type = \"local\", path = \"hello.spec\" }\n"+
			"[[components.hello.overlays]]\ntype = \"file-add\"\nfile = \"copied\"\nsource = \"passwd\"\n")
		out := filepath.Join(t.TempDir(), "out")
		stderr, code := prepare(project, out)
		if code == 0 || !strings.Contains(stderr, "outside root") {
			t.Fatalf("exit %d:\n%s", code, stderr)
		}
		if _, err := os.Stat(filepath.Join(out, "copied")); err == nil {
			t.Fatal("the linked file was copied into the output")
		}
	})
}

// TestOrphanLockReported (finding 5): with -a, prepare-sources and
// diff-sources fail on an orphan lock file with the reference's message
// (BEHAVIOR.md 7.5); a missing lock of an upstream component is reported the
// same way, with a warning naming it.
func TestOrphanLockReported(t *testing.T) {
	e := newEnv(t)
	project := t.TempDir()
	localProject(t, project, 0)
	writeFile(t, filepath.Join(project, "locks/gone.lock"), "version = 1\ninput-fingerprint = 'sha256:00'\n")
	out := filepath.Join(t.TempDir(), "out")
	for _, args := range [][]string{
		{"component", "prepare-sources", "-a", "-o", out, "--without-git"},
		{"component", "diff-sources", "-a"},
	} {
		_, stderr, code := e.azldev(project, args...)
		if code == 0 || !strings.Contains(stderr, "lock file validation failed:") ||
			!strings.Contains(stderr, "lock file consistency check failed: 0 missing/stale, 1 orphans") ||
			!strings.Contains(stderr, "WRN Orphan lock file component=gone") {
			t.Errorf("%s: exit %d\n%s", strings.Join(args[:2], " "), code, stderr)
		}
		e.mustAzldev(project, append(args, "--skip-lock-validation")...)
		if args[1] == "prepare-sources" {
			if err := os.RemoveAll(out); err != nil {
				t.Fatal(err)
			}
		}
	}
	e.mustAzldev(project, "component", "prepare-sources", "-p", "hello", "-o", out, "--without-git")

	upstream := t.TempDir()
	upstreamProject(t, upstream, "file:///nonexistent/$pkg.git", []string{"hello"})
	_, stderr, code := e.azldev(upstream, "component", "prepare-sources", "-p", "hello", "-o", filepath.Join(t.TempDir(), "o"), "--without-git")
	if code == 0 || !strings.Contains(stderr, "1 missing/stale, 0 orphans") ||
		!strings.Contains(stderr, "WRN Lock validation failed component=hello") || !strings.Contains(stderr, "run 'azldev component update hello'") {
		t.Errorf("missing lock: exit %d\n%s", code, stderr)
	}
}

// TestBadLockedCommit (finding 14): a lock whose upstream-commit looks like
// an option is refused by update and prepare-sources before any git call,
// naming the file and line; one that does not exist upstream is not reused
// when update rewrites the lock, and --force-recalculate repairs it.
func TestBadLockedCommit(t *testing.T) {
	_, project := httpUpstream(t)
	e := newEnv(t)
	e.mustAzldev(project, "component", "update", "-p", "hello")
	lockPath := filepath.Join(project, "locks", "hello.lock")
	good := string(mustRead(t, lockPath))
	setCommit := func(commit string) {
		text := regexp.MustCompile(`(?m)^upstream-commit = '.*'$`).ReplaceAllString(good, "upstream-commit = '"+commit+"'")
		writeFile(t, lockPath, text)
	}
	pwned := filepath.Join(e.home, "pwned")
	setCommit("--upload-pack=touch " + pwned)
	for _, args := range [][]string{
		{"component", "update", "-p", "hello"},
		{"component", "prepare-sources", "-p", "hello", "-o", filepath.Join(t.TempDir(), "out"), "--without-git", "--skip-sources"},
	} {
		_, stderr, code := e.azldev(project, args...)
		if code == 0 || !strings.Contains(stderr, "locks/hello.lock:4:1: upstream-commit") || !strings.Contains(stderr, "is not a commit id") ||
			strings.Contains(stderr, "usage: git") {
			t.Errorf("%s: exit %d\n%s", args[1], code, stderr)
		}
	}
	if _, err := os.Stat(pwned); err == nil {
		t.Fatal("the option reached git")
	}

	setCommit(strings.Repeat("0", 40))
	comp := filepath.Join(project, "components.toml")
	writeFile(t, comp, string(mustRead(t, comp))+"[[components.hello.overlays]]\ntype = \"spec-add-tag\"\ntag = \"BuildRequires\"\nvalue = \"make\"\n")
	_, stderr, code := e.azldev(project, "component", "update", "-p", "hello")
	if code == 0 || !strings.Contains(stderr, "does not exist upstream") {
		t.Fatalf("update reused a missing commit: exit %d\n%s", code, stderr)
	}
	e.mustAzldev(project, "component", "update", "-p", "hello", "--force-recalculate")
	if lock := string(mustRead(t, lockPath)); strings.Contains(lock, strings.Repeat("0", 40)) {
		t.Fatalf("--force-recalculate kept the missing commit:\n%s", lock)
	}
}

// TestKilledCloneSwept (finding 3): `component update` killed with SIGKILL
// while it clones a mirror into the dist-git cache leaves a .clone-*
// directory; the next run removes it and clones again.
func TestKilledCloneSwept(t *testing.T) {
	s, project := httpUpstream(t)
	e := newEnv(t)
	release := make(chan struct{})
	s.setFault(func(w http.ResponseWriter, _ int64) bool {
		<-release
		http.Error(w, "gone", http.StatusInternalServerError)
		return true
	})
	cache := filepath.Join(e.home, ".cache", "azldev", "distgit")
	cmd := exec.Command(binary, "component", "update", "-p", "hello")
	cmd.Dir, cmd.Env = project, e.vars
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Kill once git is cloning into the scratch directory (it made repo.git).
	cloning := func() bool { m, _ := filepath.Glob(filepath.Join(cache, ".clone-*", "repo.git")); return len(m) > 0 }
	waitFor(cloning)
	_ = cmd.Process.Signal(syscall.SIGKILL)
	_ = cmd.Wait()
	left := leftovers(cache)
	// The orphaned git (no parent-death signal; see docs/reliability.md)
	// fails once the server answers, and removes its repo.git.
	close(release)
	waitFor(func() bool { return !cloning() })
	s.setFault(func(http.ResponseWriter, int64) bool { return false })
	if len(left) == 0 {
		t.Fatal("the killed run left no clone directory; the test did not exercise the sweep")
	}
	e.mustAzldev(project, "component", "update", "-p", "hello")
	if rest := leftovers(cache); len(rest) > 0 {
		t.Fatalf("the next run left %v", rest)
	}
}
