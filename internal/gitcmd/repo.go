package gitcmd

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
)

// RepoRoot returns the top of the git work tree containing dir. Outside any
// repository the error says so as the reference does; any other refusal
// (such as git's "dubious ownership") keeps git's own message.
func RepoRoot(dir string) (string, error) {
	top, err := Git{Dir: dir}.Output("rev-parse", "--show-toplevel")
	if err == nil {
		return top, nil
	}
	var gerr *Error
	if errors.As(err, &gerr) && !strings.Contains(gerr.Msg, "not a git repository") {
		return "", fmt.Errorf("failed to find project repository for %s: %s", dir, gerr.Msg)
	}
	if errors.Is(err, ErrNoGit) {
		return "", err
	}
	return "", fmt.Errorf("failed to find project repository for %s: repository does not exist", dir)
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
