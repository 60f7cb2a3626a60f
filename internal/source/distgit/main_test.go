package distgit

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
func TestMain(m *testing.M) { testutil.RunIsolated(m, nil) }

// setGitConfig makes text the global git configuration for the test.
func setGitConfig(t *testing.T, text string) {
	t.Helper()
	home := t.TempDir()
	cfg := filepath.Join(home, ".gitconfig")
	if err := os.WriteFile(cfg, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("HOME", home)
	t.Setenv("GIT_CONFIG_GLOBAL", cfg)
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
}

// runGit runs git with gitDir as GIT_DIR (or in a work tree when it has one).
func runGit(t *testing.T, dir string, args ...string) string {
	t.Helper()
	g := git.Repo{Dir: dir}
	if !isWorkTree(dir) {
		g = git.Repo{Env: []string{"GIT_DIR=" + dir}}
	}
	out, err := g.Output(context.Background(), args...)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// gitOutput is git for commands that may fail.
func gitOutput(dir string, args ...string) (string, error) {
	g := git.Repo{Dir: dir}
	if !isWorkTree(dir) {
		g = git.Repo{Env: []string{"GIT_DIR=" + dir}}
	}
	return g.Output(context.Background(), args...)
}

func isWorkTree(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, ".git"))
	return err == nil
}

// day is midnight UTC of a day in February/March 2026.
func day(month time.Month, d int) time.Time { return time.Date(2026, month, d, 0, 0, 0, 0, time.UTC) }

// commit is a fixture commit whose tree records its subject.
func commit(subject string, when time.Time) testutil.Commit {
	return testutil.Commit{
		Files:   map[string][]byte{"hello.spec": []byte("Name: hello\n# " + subject + "\n"), "sources": []byte(subject + "\n")},
		Message: subject, Author: "Packager", Email: "p@example.invalid", Time: when,
	}
}

// upstream is a dist-git fixture: a bare repository and its commits by subject.
type upstream struct {
	path   string
	url    string
	commit map[string]string // subject → hash
}

// newUpstream creates <dir>/<name>.git with branch f43 holding commits.
func newUpstream(t *testing.T, dir, name string, commits []testutil.Commit) *upstream {
	t.Helper()
	path := filepath.Join(dir, name+".git")
	if err := testutil.BareRepo(path, "f43", commits); err != nil {
		t.Fatal(err)
	}
	u := &upstream{path: path, url: "file://" + path}
	u.reload(t)
	return u
}

// reload re-reads the commit ids (after the repository was rewritten).
func (u *upstream) reload(t *testing.T) {
	t.Helper()
	u.commit = map[string]string{}
	for _, line := range strings.Split(runGit(t, u.path, "log", "--all", "--format=%H %s"), "\n") {
		hash, subject, _ := strings.Cut(line, " ")
		u.commit[subject] = hash
	}
}

func (u *upstream) hash(t *testing.T, subject string) string {
	t.Helper()
	h, ok := u.commit[subject]
	if !ok {
		t.Fatalf("no fixture commit %q", subject)
	}
	return h
}
