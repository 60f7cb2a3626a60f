package gitcmd

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

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

func TestRepoRootOutside(t *testing.T) {
	_, err := RepoRoot(t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "repository does not exist") {
		t.Errorf("got %v", err)
	}
}
