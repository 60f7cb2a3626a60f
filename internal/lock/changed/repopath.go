package changed

import (
	"fmt"
	"path/filepath"
	"strings"
)

// RepoPath returns path p relative to the work tree top repo, slash-separated,
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
