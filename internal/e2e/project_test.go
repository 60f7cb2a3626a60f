package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestProjectNewAndInit creates projects with the binary and checks that they
// load and list their spec-discovered components with no further edits.
func TestProjectNewAndInit(t *testing.T) {
	e := newEnv(t)
	root := t.TempDir()
	out := e.mustAzldev(root, "project", "new", "distro", "-O", "json")
	var files []struct{ Path, Action string }
	if err := json.Unmarshal([]byte(out), &files); err != nil || len(files) != 2 {
		t.Fatalf("output %q: %v", out, err)
	}
	dir := filepath.Join(root, "distro")
	writeFile(t, filepath.Join(dir, "comps", "hello", "hello.spec"), "Name: hello\nVersion: 1\nRelease: 1\nSummary: s\nLicense: MIT\n%description\nd\n")
	list := e.mustAzldev(dir, "component", "list", "-a", "-O", "csv")
	if list != "Name,Spec\nhello,comps/hello/hello.spec\n" {
		t.Errorf("component list:\n%s", list)
	}

	initDir := filepath.Join(root, "existing")
	writeFile(t, filepath.Join(initDir, "README.md"), "hi\n")
	e.mustAzldev(root, "-C", initDir, "project", "init")
	if out := e.mustAzldev(initDir, "config", "dump", "-O", "json"); !strings.Contains(out, `"description": "existing"`) {
		t.Errorf("config dump:\n%s", out)
	}
}

// TestProjectBadInput checks that refusals end with one error line and exit 1.
func TestProjectBadInput(t *testing.T) {
	e := newEnv(t)
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "full", "notes.txt"), "x\n")
	e.mustAzldev(root, "project", "new", "p")
	before, _ := os.ReadFile(filepath.Join(root, "p", "azldev.toml"))
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"new into a non-empty directory", []string{"project", "new", "full"}, "full already exists and is not empty"},
		{"new over a project", []string{"project", "new", "p"}, "p already exists and is not empty"},
		{"init over a project", []string{"-C", "p", "project", "init"}, "azldev.toml already exists; not overwriting an existing project"},
		{"init in a file", []string{"-C", "full/notes.txt", "project", "init"}, "is not a directory"},
		{"init in a missing directory", []string{"-C", "nope", "project", "init"}, "no such file or directory"},
		{"new without a path", []string{"project", "new"}, "accepts 1 arg(s), received 0"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, stderr, code := e.azldev(root, tc.args...)
			assertOneError(t, stderr, code, tc.want)
		})
	}
	if after, _ := os.ReadFile(filepath.Join(root, "p", "azldev.toml")); string(after) != string(before) {
		t.Error("the existing project changed")
	}
}

// assertOneError checks exit status 1 and that stderr holds exactly one
// error line, "ERR Error: ...", containing want.
func assertOneError(t *testing.T, stderr string, code int, want string) {
	t.Helper()
	var errs []string
	for _, line := range strings.Split(stderr, "\n") {
		if strings.Contains(line, " ERR ") {
			errs = append(errs, line)
		}
	}
	if code != 1 || len(errs) != 1 || !strings.Contains(errs[0], "ERR Error: ") || !strings.Contains(errs[0], want) {
		t.Errorf("exit %d, want 1 and one error line with %q; stderr:\n%s", code, want, stderr)
	}
}
