package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDocsMarkdownIsFresh fails when docs/cli differs from what the binary
// generates: regenerate with `go run ./cmd/azldev docs markdown -o docs/cli`.
func TestDocsMarkdownIsFresh(t *testing.T) {
	e := newEnv(t)
	out := filepath.Join(t.TempDir(), "cli")
	e.mustAzldev(t.TempDir(), "docs", "markdown", "-o", out)
	want, got := readDir(t, "../../docs/cli"), readDir(t, out)
	for name, data := range got {
		if want[name] != data {
			t.Errorf("docs/cli/%s is missing or stale", name)
		}
	}
	for name := range want {
		if _, ok := got[name]; !ok {
			t.Errorf("docs/cli/%s documents no command", name)
		}
	}
	if t.Failed() {
		t.Log("regenerate with: go run ./cmd/azldev docs markdown -o docs/cli")
	}
	if len(got) < 20 || !strings.Contains(got["azldev_project_new.md"], "azldev project new PATH") {
		t.Errorf("%d pages", len(got))
	}
	// A second run changes nothing; a page of a removed command goes away.
	writeFile(t, filepath.Join(out, "azldev_gone.md"), "old\n")
	_, stderr, _ := e.azldev(t.TempDir(), "docs", "md", "-o", out)
	if !strings.Contains(stderr, "changed=1") || fileExists(filepath.Join(out, "azldev_gone.md")) {
		t.Errorf("rerun: %s", stderr)
	}
}

// TestDocsAgent installs the agent guide into a project, keeps a file azldev
// did not write, and prints the guide.
func TestDocsAgent(t *testing.T) {
	e := newEnv(t)
	root := t.TempDir()
	e.mustAzldev(root, "project", "new", "p")
	sub := filepath.Join(root, "p", "comps")
	writeFile(t, filepath.Join(sub, "x.spec"), "Name: x\n")
	e.mustAzldev(sub, "docs", "agent", "install")
	path := filepath.Join(root, "p", ".github", "skills", "azldev", "SKILL.md")
	guide, err := os.ReadFile(path)
	if err != nil || !strings.HasPrefix(string(guide), "---\nname: azldev\n") || !strings.Contains(string(guide), "- `azldev component list [NAME...]`: ") {
		t.Fatalf("guide %v:\n%s", err, guide)
	}
	if show := e.mustAzldev(root, "docs", "agent", "show"); show != string(guide) {
		t.Error("show differs from the installed guide")
	}
	if _, stderr, _ := e.azldev(sub, "docs", "agent", "install"); !strings.Contains(stderr, "Agent guide unchanged") {
		t.Errorf("reinstall: %s", stderr)
	}
	mine := filepath.Join(root, "AGENTS.md")
	writeFile(t, mine, "my notes\n")
	_, stderr, code := e.azldev(root, "docs", "agent", "install", "-o", mine)
	assertOneError(t, stderr, code, "was not written by azldev; use --force")
	e.mustAzldev(root, "docs", "agent", "install", "-o", mine, "--force")
	if data, _ := os.ReadFile(mine); string(data) != string(guide) {
		t.Error("--force did not replace the file")
	}
}

func readDir(t *testing.T, dir string) map[string]string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		files[e.Name()] = string(data)
	}
	return files
}

// TestDocsAndVersionBadInput checks the refusals of docs and version.
func TestDocsAndVersionBadInput(t *testing.T) {
	e := newEnv(t)
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "file"), "x\n")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"docs", "markdown", "-o", "file"}, "file: not a directory"},
		{[]string{"docs", "markdown", "extra"}, `unknown command "extra" for "azldev docs markdown"`},
		{[]string{"docs", "agent", "install", "-o", "file/SKILL.md"}, "not a directory"},
		{[]string{"version", "--short"}, "unknown flag: --short"},
		{[]string{"version", "-O", "yaml"}, `invalid output format "yaml"`},
	} {
		_, stderr, code := e.azldev(dir, tc.args...)
		assertOneError(t, stderr, code, tc.want)
	}
}
