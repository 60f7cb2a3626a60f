// Package distgit accesses upstream dist-git repositories with the git
// command line: it builds repository URLs, resolves which commit a component
// is built from (pin, snapshot time or branch tip) and checks out sources.
//
// Local repositories (file:// URLs, after the user's url.<base>.insteadOf
// rewrites) are read in place. Remote ones are mirrored once per URL into a
// cache directory as bare repositories, fetched (never re-cloned) later,
// under a per-mirror file lock so parallel runs are safe.
package distgit

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/azlforge/azldev/internal/foundation/command"
	"github.com/azlforge/azldev/internal/foundation/commitid"
	"github.com/azlforge/azldev/internal/foundation/git"
)

// Provider resolves and fetches dist-git repositories.
type Provider struct {
	CacheDir string // where remote repositories are mirrored
	Retries  int    // attempts for network operations (at least 1)
	// StallTimeout aborts a network transfer that moves (almost) no data for
	// this long (default 60 s).
	StallTimeout time.Duration
	Log          *slog.Logger

	rewritesOnce sync.Once
	sweepOnce    sync.Once // stale clones in CacheDir are swept on first use
	rewrites     []rewrite
	mirrorLocks  sync.Map // mirror path → *sync.Mutex (in-process; files lock across processes)
}

// RepoURL expands a dist-git URI template for a package name.
func RepoURL(template, name string) (string, error) {
	if strings.Contains(name, "$pkg") {
		return "", fmt.Errorf("package name %q must not contain $pkg", name)
	}
	raw := strings.ReplaceAll(template, "$pkg", url.PathEscape(name))
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("dist-git URL %q: %w", raw, err)
	}
	if u.Scheme == "" || (u.Host == "" && u.Scheme != "file") {
		return "", fmt.Errorf("dist-git URL %q must be absolute (scheme and host)", raw)
	}
	return raw, nil
}

// ResolveCommit returns the commit to build: the pin verbatim, else the last
// first-parent commit of branch committed at or before snapshot, else the
// branch tip.
func (p *Provider) ResolveCommit(ctx context.Context, repoURL, branch, snapshot, pin string) (string, error) {
	if pin != "" {
		return pin, nil
	}
	var before string
	if snapshot != "" {
		t, err := time.Parse(time.RFC3339, snapshot)
		if err != nil {
			return "", fmt.Errorf("snapshot %q is not an RFC 3339 time: %w", snapshot, err)
		}
		before = t.Format(time.RFC3339)
	}
	gitDir, err := p.repository(ctx, repoURL, true)
	if err != nil {
		return "", err
	}
	g := git.Repo{Env: []string{"GIT_DIR=" + gitDirOf(gitDir)}}
	ref := "refs/heads/" + branch
	if before == "" {
		out, err := g.Output(ctx, "rev-parse", "--verify", "-q", ref+"^{commit}")
		if err != nil && command.ExitCode(err) <= 0 {
			return "", err
		}
		if err != nil || out == "" {
			return "", fmt.Errorf("%s: branch %q not found", repoURL, branch)
		}
		return out, nil
	}
	out, err := g.Output(ctx, "rev-list", "-1", "--first-parent", "--before="+before, ref, "--")
	if err != nil {
		return "", fmt.Errorf("%s: branch %q: %w", repoURL, branch, err)
	}
	if out == "" {
		return "", fmt.Errorf("no commits found before %s on branch %q of %s", snapshot, branch, repoURL)
	}
	return out, nil
}

// Checkout clones repoURL's branch into dest (which must not exist) and
// detaches HEAD at commit. The clone keeps its .git directory.
func (p *Provider) Checkout(ctx context.Context, repoURL, branch, commit, dest string) error {
	if err := checkCommit(repoURL, commit); err != nil {
		return err
	}
	src, err := p.repository(ctx, repoURL, false)
	if err != nil {
		return err
	}
	if err := p.cloneFrom(ctx, src, branch, dest); err != nil {
		return fmt.Errorf("cloning %s: %w", repoURL, err)
	}
	g := git.Repo{Dir: dest}
	checkout := func() error {
		_, err := g.Run(ctx, "-c", "advice.detachedHead=false", "checkout", "-q", "--detach", commit)
		return err
	}
	err = checkout()
	if err != nil && p.isMirror(src) && p.refreshClone(ctx, repoURL, src, g) == nil {
		err = checkout() // the pinned commit may have been newer than the mirror
	}
	if err != nil {
		return fmt.Errorf("%s: commit %s: %w", repoURL, commit, err)
	}
	_, err = g.Run(ctx, "remote", "set-url", "origin", repoURL)
	return err
}

// HasCommit reports whether repoURL holds commit; a cached mirror that does
// not is fetched once first.
func (p *Provider) HasCommit(ctx context.Context, repoURL, commit string) (bool, error) {
	if err := checkCommit(repoURL, commit); err != nil {
		return false, err
	}
	dir, err := p.repository(ctx, repoURL, false)
	if err != nil {
		return false, err
	}
	g := git.Repo{Env: []string{"GIT_DIR=" + gitDirOf(dir)}}
	has := func() bool {
		_, err := g.Run(ctx, "cat-file", "-e", commit+"^{commit}")
		return err == nil
	}
	if ok := has(); ok || !p.isMirror(dir) {
		return ok, nil
	}
	if err := p.fetchMirror(ctx, repoURL, dir); err != nil {
		return false, err
	}
	return has(), nil
}

// checkCommit refuses a commit that is not a commit id before it reaches git.
func checkCommit(repoURL, commit string) error {
	if !commitid.Valid(commit) {
		return fmt.Errorf("%s: %q is not a commit id (7 to 40 hexadecimal digits)", repoURL, commit)
	}
	return nil
}

// cloneFrom clones branch of the local repository src into dest. A local
// clone copies the object files, so a mirror is locked meanwhile: a
// concurrent fetch (or its maintenance) adds and removes files in it.
func (p *Provider) cloneFrom(ctx context.Context, src, branch, dest string) error {
	if p.isMirror(src) {
		unlock, err := p.lockMirror(src)
		if err != nil {
			return err
		}
		defer unlock()
	}
	_, err := p.network().Run(ctx, "clone", "-q", "--no-hardlinks", "--branch", branch, src, dest)
	return err
}

// repository returns a git directory holding repoURL's objects: the
// repository itself when it is local, else an up-to-date cached mirror
// (fetched when refresh is set or when newly created).
func (p *Provider) repository(ctx context.Context, repoURL string, refresh bool) (string, error) {
	if dir, ok := p.localPath(ctx, repoURL); ok {
		if _, err := os.Stat(dir); err != nil {
			return "", fmt.Errorf("dist-git repository %s: %w", repoURL, errors.Unwrap(err))
		}
		return dir, nil
	}
	return p.mirror(ctx, repoURL, refresh)
}

// gitDirOf returns the git directory of a repository: dir itself when it is
// bare, dir/.git when it is a work tree (a local dist-git may be either, as
// with `git clone`).
func gitDirOf(dir string) string {
	if _, err := os.Stat(filepath.Join(dir, ".git")); err == nil {
		return filepath.Join(dir, ".git")
	}
	return dir
}

// localPath maps a (rewritten) file:// URL or plain path to a directory.
func (p *Provider) localPath(ctx context.Context, repoURL string) (string, bool) {
	u := p.rewrite(ctx, repoURL)
	switch {
	case strings.HasPrefix(u, "file://"):
		parsed, err := url.Parse(u)
		if err != nil {
			return "", false
		}
		return parsed.Path, true
	case filepath.IsAbs(u):
		return u, true
	}
	return "", false
}

// refreshClone fetches the mirror, then the clone made from it.
func (p *Provider) refreshClone(ctx context.Context, repoURL, mirror string, clone git.Repo) error {
	if err := p.fetchMirror(ctx, repoURL, mirror); err != nil {
		return err
	}
	_, err := clone.Run(ctx, "fetch", "-q", "origin")
	return err
}

// network returns a git runner whose transfers abort when stalled and that
// never prompts on the terminal (git runs in its own process group, where a
// prompt would stop it).
func (p *Provider) network() git.Repo {
	stall := p.StallTimeout
	if stall <= 0 {
		stall = 60 * time.Second
	}
	return git.Repo{Env: []string{
		"GIT_TERMINAL_PROMPT=0",
		"GIT_HTTP_LOW_SPEED_LIMIT=1000",
		fmt.Sprintf("GIT_HTTP_LOW_SPEED_TIME=%d", max(int(stall.Seconds()), 1)),
	}}
}

func (p *Provider) isMirror(dir string) bool {
	return p.CacheDir != "" && strings.HasPrefix(dir, p.CacheDir+string(filepath.Separator))
}
