package e2e

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestVersion checks the JSON shape of `version` (the reference's keys, in
// its order) and that build settings reach it: -ldflags values and, with
// -buildvcs, the checkout's commit.
func TestVersion(t *testing.T) {
	e := newEnv(t)
	bin := filepath.Join(t.TempDir(), "azldev")
	build := exec.Command("go", "build", "-buildvcs=true", "-ldflags",
		"-X github.com/azlforge/azldev/internal/cli/cmd/version.Version=1.2.3 -X github.com/azlforge/azldev/internal/cli/cmd/version.BuildDate=2026-01-02T03:04:05Z",
		"-o", bin, "../../cmd/azldev")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	settings := buildSettings(t, bin)
	cmd := exec.Command(bin, "ver", "-O", "json")
	cmd.Env = e.vars
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	keys := []string{`"version"`, `"gitCommit"`, `"goVersion"`, `"platform"`, `"compiler"`, `"buildDate"`, `"commitDate"`, `"dirtyBuild"`}
	last := -1
	for _, k := range keys {
		i := strings.Index(string(out), k)
		if i <= last {
			t.Fatalf("key %s missing or out of order:\n%s", k, out)
		}
		last = i
	}
	type info struct {
		Version, GitCommit, GoVersion, Platform, Compiler, BuildDate, CommitDate string
		DirtyBuild                                                               bool
	}
	var got info
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	// The VCS fields come from the build information (absent when the
	// checkout is a git worktree, whose .git is a file Go does not follow).
	want := info{"1.2.3", settings["vcs.revision"], runtime.Version(), runtime.GOOS + "/" + runtime.GOARCH, "gc",
		"2026-01-02T03:04:05Z", settings["vcs.time"], settings["vcs.modified"] == "true"}
	if got != want {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
	table := e.mustAzldev(t.TempDir(), "version")
	if !strings.Contains(table, "│ dirty build │") || !strings.Contains(table, "│ go version  │ "+runtime.Version()) {
		t.Errorf("table:\n%s", table)
	}
}

// buildSettings reads the build settings recorded in a binary (go version -m).
func buildSettings(t *testing.T, bin string) map[string]string {
	t.Helper()
	out, err := exec.Command("go", "version", "-m", bin).Output()
	if err != nil {
		t.Fatal(err)
	}
	settings := map[string]string{}
	for _, line := range strings.Split(string(out), "\n") {
		f := strings.Fields(line)
		if len(f) == 2 && f[0] == "build" {
			k, v, _ := strings.Cut(f[1], "=")
			settings[k] = v
		}
	}
	return settings
}
