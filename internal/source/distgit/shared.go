package distgit

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/azlforge/azldev/internal/foundation/git"
)

// CheckoutShared is Checkout for a work tree whose .git is thrown away
// afterwards (render): instead of cloning, dest gets a repository that
// borrows the source's objects (git alternates) with HEAD detached at
// commit, and one git process fills the index and work tree. Objects
// written later (synthetic history) go to dest's own store. When the source
// lacks the commit, it falls back to Checkout, which refreshes mirrors.
func (p *Provider) CheckoutShared(ctx context.Context, repoURL, branch, commit, dest string) error {
	if err := checkCommit(repoURL, commit); err != nil {
		return err
	}
	src, err := p.repository(ctx, repoURL, false)
	if err != nil {
		return err
	}
	if err := initShared(dest, gitDirOf(src), commit); err != nil {
		return err
	}
	if _, err := (git.Repo{Dir: dest}).Run(ctx, "reset", "-q", "--hard"); err == nil || ctx.Err() != nil {
		return err
	}
	if err := os.RemoveAll(filepath.Join(dest, ".git")); err != nil {
		return err
	}
	return p.Checkout(ctx, repoURL, branch, commit, dest)
}

// initShared writes a minimal repository in dest/.git whose objects come
// from srcGitDir and whose detached HEAD is commit.
func initShared(dest, srcGitDir, commit string) error {
	gitDir := filepath.Join(dest, ".git")
	for _, d := range []string{"objects/info", "refs/heads", "refs/tags"} {
		if err := os.MkdirAll(filepath.Join(gitDir, d), 0o755); err != nil {
			return err
		}
	}
	objects, err := filepath.Abs(filepath.Join(srcGitDir, "objects"))
	if err != nil {
		return err
	}
	files := map[string]string{
		"HEAD":                    commit + "\n",
		"config":                  "[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n\tbare = false\n\tlogallrefupdates = false\n",
		"objects/info/alternates": objects + "\n",
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(gitDir, name), []byte(content), 0o644); err != nil {
			return fmt.Errorf("preparing %s: %w", gitDir, err)
		}
	}
	return nil
}
