package e2e

import (
	"bytes"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/azlforge/azldev/internal/testutil"
)

// interruptFixture is a project of upstream components served over smart
// HTTP, whose server can be made to hang so that git children stay running.
type interruptFixture struct {
	e       *env
	server  *gitServer
	project string
	names   []string
	release chan struct{} // closing it lets hung requests go on
}

func newInterruptFixture(t *testing.T, n int) *interruptFixture {
	t.Helper()
	root := t.TempDir()
	var names []string
	for i := range n {
		name := fmt.Sprintf("pkg%02d", i)
		spec := "Name: " + name + "\nVersion: 1\nRelease: 1%{?dist}\nSummary: S\nLicense: MIT\n\n%description\nS.\n\n%files\n"
		commit := testutil.Commit{Files: map[string][]byte{name + ".spec": []byte(spec)}, Message: "Import", Author: "Up",
			Email: "up@example.invalid", Time: time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)}
		if err := testutil.BareRepo(filepath.Join(root, name+".git"), "f43", []testutil.Commit{commit}); err != nil {
			t.Fatal(err)
		}
		names = append(names, name)
	}
	f := &interruptFixture{e: newEnv(t), server: newGitServer(t, root), project: t.TempDir(), names: names, release: make(chan struct{})}
	t.Cleanup(func() { close(f.release) }) // before the server closes (cleanups run last-in first-out)
	upstreamProject(t, f.project, f.server.URL+"/$pkg.git", names)
	scratch := t.TempDir()
	f.e.set("TMPDIR", filepath.Join(scratch, "tmp"))
	f.e.set("AZLDEV_CACHE_DIR", filepath.Join(scratch, "cache"))
	if err := os.Mkdir(filepath.Join(scratch, "tmp"), 0o755); err != nil {
		t.Fatal(err)
	}
	return f
}

// hang makes every further request to the dist-git server wait.
func (f *interruptFixture) hang() {
	f.server.setFault(func(http.ResponseWriter, int64) bool {
		<-f.release
		return true
	})
}

// interrupt starts azldev with args in dir, waits until at least want git
// processes run below it, sends SIGINT and returns the exit code, stderr and
// the process groups of the git processes seen.
func (f *interruptFixture) interrupt(t *testing.T, dir string, want int, args ...string) (int, string, map[int]bool) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Dir, cmd.Env = dir, f.e.vars
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	groups := map[int]bool{}
	deadline := time.Now().Add(20 * time.Second)
	for len(groups) < want {
		select {
		case err := <-exited:
			t.Fatalf("azldev exited (%v) before %d git processes ran:\n%s", err, want, stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			t.Fatalf("only %d git process groups after 20s:\n%s", len(groups), stderr.String())
		}
		for _, p := range gitDescendants(cmd.Process.Pid) {
			groups[p.pgrp] = true
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case <-exited:
	case <-time.After(15 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatalf("azldev did not exit within 15s of SIGINT:\n%s", stderr.String())
	}
	return cmd.ProcessState.ExitCode(), stderr.String(), groups
}

// proc is a process as /proc shows it.
type proc struct {
	pid, ppid, pgrp int
	comm            string
}

// processes lists every process of the system.
func processes() []proc {
	entries, _ := os.ReadDir("/proc")
	var out []proc
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		s := string(stat)
		open, end := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
		if open < 0 || end < open {
			continue
		}
		fields := strings.Fields(s[end+1:]) // state ppid pgrp ...
		if len(fields) < 3 || fields[0] == "Z" {
			continue
		}
		ppid, _ := strconv.Atoi(fields[1])
		pgrp, _ := strconv.Atoi(fields[2])
		out = append(out, proc{pid: pid, ppid: ppid, pgrp: pgrp, comm: s[open+1 : end]})
	}
	return out
}

// gitDescendants lists the git processes (git, git-remote-http, ...) below pid.
func gitDescendants(pid int) []proc {
	all := processes()
	parent := map[int]int{}
	for _, p := range all {
		parent[p.pid] = p.ppid
	}
	var out []proc
	for _, p := range all {
		if !strings.HasPrefix(p.comm, "git") {
			continue
		}
		for a := p.ppid; a > 1; a = parent[a] {
			if a == pid {
				out = append(out, p)
				break
			}
		}
	}
	return out
}

// assertGroupsGone fails for any live process in the given process groups.
func assertGroupsGone(t *testing.T, groups map[int]bool) {
	t.Helper()
	var left []proc
	for deadline := time.Now().Add(2 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		left = left[:0]
		for _, p := range processes() {
			if groups[p.pgrp] {
				left = append(left, p)
			}
		}
		if len(left) == 0 || time.Now().After(deadline) {
			break
		}
	}
	for _, p := range left {
		t.Errorf("process %d (%s) of an interrupted git process group survived", p.pid, p.comm)
		_ = syscall.Kill(p.pid, syscall.SIGKILL)
	}
}

// assertNoLeftovers fails for staging, temporary or partial-clone files under dirs.
func assertNoLeftovers(t *testing.T, dirs ...string) {
	t.Helper()
	for _, dir := range dirs {
		_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			name := d.Name()
			if strings.Contains(name, ".azldev-staging-") || strings.Contains(name, ".tmp-") || strings.HasPrefix(name, ".clone-") {
				t.Errorf("left behind: %s", path)
			}
			return nil
		})
	}
}

// snapshotDir reads every regular file under dir (relative path → content).
func snapshotDir(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		files[rel] = string(mustRead(t, path))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func sameFiles(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// TestInterruptUpdate interrupts `component update -a` while git clones
// (new components) and fetches (locked ones, with --force-recalculate) hang
// on the dist-git server: azldev exits 130 after printing Interrupted, no git
// process survives, nothing temporary is left and the locks are untouched.
func TestInterruptUpdate(t *testing.T) {
	f := newInterruptFixture(t, 24)
	f.e.mustAzldev(f.project, "component", "update", "-p", "pkg*[13579]", "-q") // odd ones: locked and mirrored
	locks := filepath.Join(f.project, "locks")
	before := snapshotDir(t, locks)
	if len(before) != 12 {
		t.Fatalf("%d lock files after the first update, want 12", len(before))
	}
	f.hang()
	code, stderr, groups := f.interrupt(t, f.project, 4, "component", "update", "-a", "--force-recalculate")
	if code != 130 || !strings.Contains(stderr, "Interrupted") {
		t.Errorf("exit %d, want 130 with Interrupted; stderr:\n%s", code, stderr)
	}
	assertGroupsGone(t, groups)
	assertNoLeftovers(t, f.project, f.e.get("AZLDEV_CACHE_DIR"), f.e.get("TMPDIR"))
	if after := snapshotDir(t, locks); !sameFiles(before, after) {
		t.Errorf("lock files changed by the interrupted update")
	}
}

// TestInterruptPrepareSources interrupts `component prepare-sources` while
// the clone of its dist-git mirror hangs: the previous output stays as it
// was and no staging directory, partial clone or git process is left.
func TestInterruptPrepareSources(t *testing.T) {
	f := newInterruptFixture(t, 1)
	f.e.mustAzldev(f.project, "component", "update", "-a", "-q")
	out := filepath.Join(t.TempDir(), "out")
	f.e.mustAzldev(f.project, "component", "prepare-sources", "-p", "pkg00", "-o", out, "--without-git", "-q")
	before := snapshotDir(t, out)
	if len(before) == 0 {
		t.Fatal("no prepared output")
	}
	cache := filepath.Join(t.TempDir(), "cold-cache") // no mirror yet: prepare-sources must clone
	f.e.set("AZLDEV_CACHE_DIR", cache)
	f.hang()
	code, stderr, groups := f.interrupt(t, f.project, 1, "component", "prepare-sources", "-p", "pkg00", "-o", out, "--without-git", "--force")
	if code != 130 || !strings.Contains(stderr, "Interrupted") {
		t.Errorf("exit %d, want 130 with Interrupted; stderr:\n%s", code, stderr)
	}
	assertGroupsGone(t, groups)
	assertNoLeftovers(t, filepath.Dir(out), cache, f.e.get("TMPDIR"), filepath.Join(f.project, "locks"))
	if after := snapshotDir(t, out); !sameFiles(before, after) {
		t.Errorf("the previous output changed: %d files before, %d after", len(before), len(after))
	}
}
