package history

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/azlforge/azldev/internal/foundation/git"
	"github.com/azlforge/azldev/internal/testutil"
)

// TestMain runs the tests without the user's git configuration or caches.
func TestMain(m *testing.M) {
	testutil.RunIsolated(m, map[string]string{"GIT_CEILING_DIRECTORIES": os.TempDir()})
}

// runGit runs git in dir (a work tree) and returns its trimmed output.
func runGit(t *testing.T, dir string, args ...string) string {
	t.Helper()
	out, err := git.Repo{Dir: dir}.Output(context.Background(), args...)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// rawCommit returns a commit object's header lines and its message.
func rawCommit(t *testing.T, dir, rev string) (header []string, msg string) {
	t.Helper()
	raw, err := git.Repo{Dir: dir}.Run(context.Background(), "cat-file", "commit", rev)
	if err != nil {
		t.Fatal(err)
	}
	h, m, _ := strings.Cut(string(raw), "\n\n")
	return strings.Split(h, "\n"), m
}

// headerValue returns the value of a commit header line (author, committer, tree…).
func headerValue(header []string, key string) string {
	for _, l := range header {
		if v, ok := strings.CutPrefix(l, key+" "); ok {
			return v
		}
	}
	return ""
}

// workClone creates a bare repository with commits and returns a clone of it
// (a work tree) and the commit ids by subject.
func workClone(t *testing.T, commits []testutil.Commit) (string, map[string]string) {
	t.Helper()
	bare := filepath.Join(t.TempDir(), "repo.git")
	if err := testutil.BareRepo(bare, "main", commits); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "work")
	if _, err := (git.Repo{}).Run(context.Background(), "clone", "-q", "--no-local", bare, dir); err != nil {
		t.Fatal(err)
	}
	ids := map[string]string{}
	for _, line := range strings.Split(runGit(t, dir, "log", "--all", "--format=%H %s"), "\n") {
		hash, subject, _ := strings.Cut(line, " ")
		ids[subject] = hash
	}
	return dir, ids
}

func at(day, hour int) time.Time { return time.Date(2026, 2, day, hour, 0, 0, 0, time.UTC) }
