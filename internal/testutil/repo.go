package testutil

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/azlforge/azldev/internal/foundation/git"
)

// Repo is a throwaway git repository for tests. Git runs with a fixed identity and without
// the user's or the system's configuration, so tests pass on a clean machine.
type Repo struct {
	T   testing.TB
	Dir string
}

// NewRepo initializes an empty repository in a temporary directory.
func NewRepo(t testing.TB) *Repo {
	t.Helper()
	r := &Repo{T: t, Dir: t.TempDir()}
	r.Git("init", "-q")
	r.Git("config", "gc.auto", "0") // no background gc racing the test's own git calls
	return r
}

// Git runs git in the repository and returns its trimmed output.
func (r *Repo) Git(args ...string) string {
	r.T.Helper()
	env := append(git.Identity("Test Author", "test@example.com", "@1700000000 +0000"),
		"GIT_CONFIG_GLOBAL="+os.DevNull, "GIT_CONFIG_NOSYSTEM=1")
	out, err := git.Repo{Dir: r.Dir, Env: env}.Output(context.Background(), args...)
	if err != nil {
		r.T.Fatal(err)
	}
	return out
}

// Write creates or replaces a file (parent directories included).
func (r *Repo) Write(name, content string) {
	r.T.Helper()
	p := filepath.Join(r.Dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		r.T.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		r.T.Fatal(err)
	}
}

// Append adds content at the end of a file.
func (r *Repo) Append(name, content string) {
	r.T.Helper()
	old, err := os.ReadFile(filepath.Join(r.Dir, filepath.FromSlash(name)))
	if err != nil {
		r.T.Fatal(err)
	}
	r.Write(name, string(old)+content)
}

// Remove deletes a file or directory tree.
func (r *Repo) Remove(name string) {
	r.T.Helper()
	if err := os.RemoveAll(filepath.Join(r.Dir, filepath.FromSlash(name))); err != nil {
		r.T.Fatal(err)
	}
}

// Commit stages everything and commits it (even when nothing changed); it returns the commit id.
func (r *Repo) Commit(msg string) string {
	r.T.Helper()
	r.Git("add", "-A")
	r.Git("commit", "-q", "--allow-empty", "--no-verify", "-m", msg)
	return r.Git("rev-parse", "HEAD")
}
