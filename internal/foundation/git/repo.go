package git

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/azlforge/azldev/internal/foundation/command"
)

// ErrNotRepository is wrapped by RepoRoot's error when dir is in no git work tree.
var ErrNotRepository = errors.New("repository does not exist")

// RepoRoot returns the top of the git work tree containing dir. Outside any
// repository the error says so as the reference does; any other refusal
// (such as git's "detected dubious ownership") keeps git's own message.
func RepoRoot(ctx context.Context, dir string) (string, error) {
	top, err := Repo{Dir: dir}.Output(ctx, "rev-parse", "--show-toplevel")
	var ce *command.Error
	switch {
	case err == nil:
		return top, nil
	case !errors.As(err, &ce) || ce.ExitCode <= 0: // git missing, or cancelled
		return "", err
	case strings.Contains(ce.Stderr, "not a git repository"):
		return "", fmt.Errorf("failed to find project repository for %s: %w", dir, ErrNotRepository)
	}
	return "", fmt.Errorf("failed to find project repository for %s: %w", dir, err)
}

// RepoPath returns p relative to the repository root repo, with slashes,
// as git names it in trees. Symbolic links are resolved when the plain paths
// do not nest (for example a temporary directory reached through a link).
// A path outside the repository is an error.
func RepoPath(repo, p string) (string, error) {
	if rel, ok := inside(repo, p); ok {
		return rel, nil
	}
	if rel, ok := inside(realPath(repo), realPath(p)); ok {
		return rel, nil
	}
	return "", fmt.Errorf("%s is outside the project repository %s", p, repo)
}

// inside returns p relative to dir if it does not leave dir.
func inside(dir, p string) (string, bool) {
	rel, err := filepath.Rel(filepath.Clean(dir), filepath.Clean(p))
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
		return "", false
	}
	return filepath.ToSlash(rel), true
}

// realPath resolves symbolic links in the longest existing prefix of p.
func realPath(p string) string {
	p = filepath.Clean(p)
	if r, err := filepath.EvalSymlinks(p); err == nil {
		return r
	}
	parent := filepath.Dir(p)
	if parent == p {
		return p
	}
	return filepath.Join(realPath(parent), filepath.Base(p))
}
