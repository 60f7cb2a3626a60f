// Package e2e runs the built azldev binary against real local services: git
// repositories over file:// and smart HTTP, and HTTP lookaside servers.
package e2e

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// binary is the azldev executable built for these tests.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "azldev-e2e-")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "azldev")
	build := exec.Command("go", "build", "-o", binary, "../../cmd/azldev")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building azldev: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// env is an isolated environment: its own HOME, git configuration and cache.
type env struct {
	t    *testing.T
	home string
	vars []string
}

func newEnv(t *testing.T) *env {
	t.Helper()
	home := t.TempDir()
	gitconfig := filepath.Join(home, ".gitconfig")
	writeFile(t, gitconfig, "[user]\n\tname = Test\n\temail = test@example.invalid\n[init]\n\tdefaultBranch = main\n")
	return &env{t: t, home: home, vars: []string{
		"HOME=" + home, "XDG_CONFIG_HOME=" + filepath.Join(home, ".config"), "XDG_CACHE_HOME=" + filepath.Join(home, ".cache"),
		"GIT_CONFIG_GLOBAL=" + gitconfig, "GIT_CONFIG_NOSYSTEM=1", "GIT_TERMINAL_PROMPT=0", "NO_COLOR=1",
		"PATH=" + os.Getenv("PATH"), "TMPDIR=" + os.TempDir(),
	}}
}

// set replaces or adds an environment variable.
func (e *env) set(key, value string) {
	for i, v := range e.vars {
		if strings.HasPrefix(v, key+"=") {
			e.vars[i] = key + "=" + value
			return
		}
	}
	e.vars = append(e.vars, key+"="+value)
}

// get returns an environment variable's value.
func (e *env) get(key string) string {
	for _, v := range e.vars {
		if value, ok := strings.CutPrefix(v, key+"="); ok {
			return value
		}
	}
	return ""
}

// azldev runs the binary in dir and returns stdout, stderr and the exit code.
func (e *env) azldev(dir string, args ...string) (string, string, int) {
	e.t.Helper()
	out, errs, code, _ := e.azldevTimed(dir, args...)
	return out, errs, code
}

// azldevTimed is azldev that also returns the CPU time used by the process
// and the children it waited for (git).
func (e *env) azldevTimed(dir string, args ...string) (string, string, int, time.Duration) {
	e.t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Dir = dir
	cmd.Env = e.vars
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		e.t.Fatal(err)
	}
	cpu := cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	return out.String(), errb.String(), code, cpu
}

// mustAzldev runs the binary and fails the test on a non-zero exit.
func (e *env) mustAzldev(dir string, args ...string) string {
	e.t.Helper()
	out, stderr, code := e.azldev(dir, args...)
	if code != 0 {
		e.t.Fatalf("azldev %s: exit %d\n%s", strings.Join(args, " "), code, stderr)
	}
	return out
}

// countGit puts a git wrapper first in PATH that records every invocation
// in the returned file.
func (e *env) countGit() string {
	e.t.Helper()
	real, err := exec.LookPath("git")
	if err != nil {
		e.t.Fatal(err)
	}
	bin := filepath.Join(e.home, "bin")
	log := filepath.Join(e.home, "git-calls")
	writeFile(e.t, filepath.Join(bin, "git"), fmt.Sprintf("#!/bin/sh\necho \"$*\" >> %q\nexec %q \"$@\"\n", log, real))
	if err := os.Chmod(filepath.Join(bin, "git"), 0o755); err != nil {
		e.t.Fatal(err)
	}
	e.set("PATH", bin+":"+os.Getenv("PATH"))
	return log
}

func writeFile(t testing.TB, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func lines(path string) int {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	return strings.Count(string(data), "\n")
}
