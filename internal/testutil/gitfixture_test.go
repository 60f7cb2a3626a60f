package testutil

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// runGit runs git on a bare repository without user or system configuration.
func runGit(t *testing.T, gitDir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", append([]string{"--git-dir=" + gitDir}, args...)...)
	cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL="+os.DevNull, "GIT_CONFIG_NOSYSTEM=1")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("git %v: %v", args, err)
	}
	return strings.TrimSpace(string(out))
}

func TestBareRepo(t *testing.T) {
	t0 := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC) // 1769904000
	files := func(v string) map[string][]byte { return map[string][]byte{"f": []byte(v), "dir/g": []byte("g")} }
	commits := []Commit{
		{Files: files("1"), Message: "one\n", Author: "A", Email: "a@x", Time: t0},
		{Files: files("2"), Message: "two", Author: "B", Email: "b@x", Time: t0.Add(time.Hour), CommitterTime: t0.Add(3 * time.Hour)},
		{Files: files("side"), Message: "side", Author: "S", Email: "s@x", Time: t0.Add(2 * time.Hour), Parents: []int{1}},
		{Files: files("merge"), Message: "merge", Author: "M", Email: "m@x", Time: t0.Add(4 * time.Hour), Parents: []int{2, 3},
			Committer: "Bot", CommitterEmail: "bot@x"},
		{Files: files("root"), Message: "orphan root", Author: "R", Email: "r@x", Time: t0, Parents: []int{}},
		{Files: files("tip"), Message: "tip", Author: "T", Email: "t@x", Time: t0.Add(5 * time.Hour), Parents: []int{4, 5}},
	}
	path := filepath.Join(t.TempDir(), "r.git")
	if err := BareRepo(path, "main", commits); err != nil {
		t.Fatal(err)
	}
	format := "%an|%ae|%at|%cn|%ce|%ct|%s"
	tests := []struct {
		rev, want string
		parents   int
	}{
		{"main", "T|t@x|1769922000|T|t@x|1769922000|tip", 2},
		{"main^1", "M|m@x|1769918400|Bot|bot@x|1769918400|merge", 2},
		{"main^2", "R|r@x|1769904000|R|r@x|1769904000|orphan root", 0},
		{"main^1^1", "B|b@x|1769907600|B|b@x|1769914800|two", 1},
		{"main^1^2", "S|s@x|1769911200|S|s@x|1769911200|side", 1},
		{"main^1^1^1", "A|a@x|1769904000|A|a@x|1769904000|one", 0},
	}
	for _, tt := range tests {
		if got := runGit(t, path, "log", "-1", "--format="+format, tt.rev); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.rev, got, tt.want)
		}
		if got := len(strings.Fields(runGit(t, path, "log", "-1", "--format=%P", tt.rev))); got != tt.parents {
			t.Errorf("%s: %d parents, want %d", tt.rev, got, tt.parents)
		}
	}
	if got := runGit(t, path, "rev-parse", "main^1^2^1"); got != runGit(t, path, "rev-parse", "main^1^1^1") {
		t.Errorf("side branch forks from %s, want the first commit", got)
	}
	if got := runGit(t, path, "show", "main^1^2:f"); got != "side" {
		t.Errorf("side tree f = %q", got)
	}
	if got := runGit(t, path, "cat-file", "commit", "main^1^1^1"); !strings.HasSuffix(got, "\n\none") {
		t.Errorf("message not stored verbatim:\n%s", got)
	}

	// Re-running with a longer list fast-forwards; a different list rewrites.
	first := runGit(t, path, "rev-parse", "main^1^1^1")
	if err := BareRepo(path, "main", commits[:2]); err != nil {
		t.Fatal(err)
	}
	if got := runGit(t, path, "rev-parse", "main^1"); got != first {
		t.Errorf("identical commits got new ids: %s vs %s", got, first)
	}
}

func TestBareRepoRejectsBadParents(t *testing.T) {
	for _, parents := range [][]int{{0}, {2}, {1, 3}} {
		c := []Commit{{Message: "a"}, {Message: "b", Parents: parents}}
		if err := BareRepo(filepath.Join(t.TempDir(), "r.git"), "main", c); err == nil {
			t.Errorf("parents %v accepted", parents)
		}
	}
}
