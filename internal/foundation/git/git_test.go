package git

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/azlforge/azldev/internal/foundation/command"
)

// isolated returns git environment entries without user or system configuration.
func isolated() []string {
	return []string{"GIT_CONFIG_GLOBAL=" + os.DevNull, "GIT_CONFIG_NOSYSTEM=1", "GIT_CEILING_DIRECTORIES=" + os.TempDir()}
}

func TestSplitBatch(t *testing.T) {
	out := "aaa blob 5\nhello\nx missing\nbbb blob 0\n\nccc blob 3\na\nb\n"
	got, err := splitBatch([]byte(out), 4)
	if err != nil {
		t.Fatal(err)
	}
	if string(got[0]) != "hello" || got[1] != nil || got[2] == nil || len(got[2]) != 0 || string(got[3]) != "a\nb" {
		t.Errorf("got %q", got)
	}
	for _, bad := range []string{"aaa blob 5\nhel", "aaa blob\n", "x ambiguous\n", ""} {
		if _, err := splitBatch([]byte(bad), 1); err == nil {
			t.Errorf("accepted %q", bad)
		}
	}
}

// newRepo creates a work tree with one commit of file f.
func newRepo(t *testing.T) Repo {
	t.Helper()
	ctx := context.Background()
	r := Repo{Dir: t.TempDir(), Env: append(Identity("T", "t@example.com", "@0 +0000"), isolated()...)}
	if _, err := r.Run(ctx, "init", "-q"); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(r.Dir, "f"), []byte("content\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Run(ctx, "add", "f"); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Run(ctx, "commit", "-q", "-m", "one"); err != nil {
		t.Fatal(err)
	}
	return r
}

func TestReadObjects(t *testing.T) {
	ctx := context.Background()
	r := newRepo(t)
	got, err := r.ReadObjects(ctx, []string{"HEAD:f", "HEAD:missing", "HEAD:f"})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got[0], []byte("content\n")) || got[1] != nil || !slices.Equal(got[2], got[0]) {
		t.Errorf("got %q", got)
	}
	if got, err := r.ReadObjects(ctx, nil); got != nil || err != nil {
		t.Errorf("no names: %q, %v", got, err)
	}
}

func TestErrorCarriesGitMessage(t *testing.T) {
	r := newRepo(t)
	_, err := r.Run(context.Background(), "rev-parse", "--verify", "no-such-ref")
	var ce *command.Error
	if !errors.As(err, &ce) || ce.ExitCode != 128 || err.Error() != "git rev-parse --verify no-such-ref: fatal: Needed a single revision" {
		t.Errorf("got %v", err)
	}
}

func TestRepoRoot(t *testing.T) {
	ctx := context.Background()
	r := newRepo(t)
	sub := filepath.Join(r.Dir, "sub")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GIT_CONFIG_GLOBAL", os.DevNull)
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	t.Setenv("GIT_CEILING_DIRECTORIES", os.TempDir())
	top, err := RepoRoot(ctx, sub)
	if want, _ := filepath.EvalSymlinks(r.Dir); err != nil || top != want {
		t.Errorf("got %q, %v; want %q", top, err, want)
	}
	outside := t.TempDir()
	_, err = RepoRoot(ctx, outside)
	if !errors.Is(err, ErrNotRepository) || err.Error() != "failed to find project repository for "+outside+": repository does not exist" {
		t.Errorf("outside a repository: got %v", err)
	}
}

func TestRepoRootKeepsGitsRefusal(t *testing.T) {
	r := newRepo(t)
	t.Setenv("GIT_CONFIG_GLOBAL", os.DevNull)
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	t.Setenv("GIT_TEST_ASSUME_DIFFERENT_OWNER", "1")
	_, err := RepoRoot(context.Background(), r.Dir)
	want := "failed to find project repository for " + r.Dir + ": git rev-parse --show-toplevel: fatal: detected dubious ownership"
	if err == nil || errors.Is(err, ErrNotRepository) || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("got %v", err)
	}
}
func TestRepoPath(t *testing.T) {
	repo := t.TempDir()
	link := filepath.Join(t.TempDir(), "link")
	if err := os.Symlink(repo, link); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		repo, p, want string
	}{
		{repo, filepath.Join(repo, "locks"), "locks"},
		{repo, filepath.Join(repo, "base", "..", "specs"), "specs"},
		{repo, repo, "."},
		{repo, filepath.Join(link, "not", "yet", "there"), "not/yet/there"},
		{link, filepath.Join(repo, "locks"), "locks"},
	} {
		got, err := RepoPath(tc.repo, tc.p)
		if err != nil || got != tc.want {
			t.Errorf("RepoPath(%s, %s) = %q, %v; want %q", tc.repo, tc.p, got, err, tc.want)
		}
	}
	if _, err := RepoPath(repo, filepath.Dir(repo)); err == nil {
		t.Error("a path outside the repository was accepted")
	}
}
