package distgit

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/azlforge/azldev/internal/foundation/git"
	"github.com/azlforge/azldev/internal/foundation/scratch"
)

// rewrite is one url.<base>.insteadOf rule of the user's git configuration.
type rewrite struct{ prefix, base string }

// rewrite applies git's insteadOf rules (longest matching prefix wins), so
// local repositories are recognized as such.
func (p *Provider) rewrite(ctx context.Context, u string) string {
	p.rewritesOnce.Do(func() { p.loadRewrites(ctx) })
	best := rewrite{}
	for _, r := range p.rewrites {
		if strings.HasPrefix(u, r.prefix) && len(r.prefix) > len(best.prefix) {
			best = r
		}
	}
	if best.prefix == "" {
		return u
	}
	return best.base + strings.TrimPrefix(u, best.prefix)
}

func (p *Provider) loadRewrites(ctx context.Context) {
	// -z: a key and its value are separated by a newline (the base URL in
	// the key may contain spaces), entries by NUL.
	out, err := (git.Repo{}).Run(ctx, "config", "-z", "--get-regexp", `^url\..*\.insteadof$`)
	if err != nil {
		return // no rules (git exits 1 when nothing matches)
	}
	for _, entry := range strings.Split(string(out), "\x00") {
		key, prefix, ok := strings.Cut(entry, "\n")
		if !ok || !strings.HasPrefix(key, "url.") || !strings.HasSuffix(strings.ToLower(key), ".insteadof") {
			continue
		}
		base := key[len("url.") : len(key)-len(".insteadof")]
		p.rewrites = append(p.rewrites, rewrite{prefix: prefix, base: base})
	}
}

var unsafeChars = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// mirrorPath is the cache location of a URL's bare mirror.
func (p *Provider) mirrorPath(repoURL string) string {
	sum := sha256.Sum256([]byte(repoURL))
	name := unsafeChars.ReplaceAllString(strings.TrimSuffix(filepath.Base(repoURL), ".git"), "_")
	return filepath.Join(p.CacheDir, name+"-"+hex.EncodeToString(sum[:6])+".git")
}

// mirror returns the bare mirror of repoURL, cloning it on first use and
// fetching it when refresh is set.
func (p *Provider) mirror(ctx context.Context, repoURL string, refresh bool) (string, error) {
	if p.CacheDir == "" {
		return "", fmt.Errorf("%s: no cache directory for dist-git mirrors", repoURL)
	}
	p.sweepOnce.Do(func() { p.sweepClones() })
	path := p.mirrorPath(repoURL)
	unlock, err := p.lockMirror(path)
	if err != nil {
		return "", err
	}
	defer unlock()
	if _, err := os.Stat(path); err == nil {
		if refresh {
			return path, p.fetchLocked(ctx, repoURL, path)
		}
		return path, nil
	}
	return path, p.cloneMirror(ctx, repoURL, path)
}

// fetchMirror refreshes an existing mirror.
func (p *Provider) fetchMirror(ctx context.Context, repoURL, path string) error {
	unlock, err := p.lockMirror(path)
	if err != nil {
		return err
	}
	defer unlock()
	return p.fetchLocked(ctx, repoURL, path)
}

func (p *Provider) fetchLocked(ctx context.Context, repoURL, path string) error {
	g := p.network()
	g.Env = append(g.Env, "GIT_DIR="+path)
	return p.retry(ctx, "fetching "+repoURL, func() error {
		_, err := g.Run(ctx, "-c", "gc.autoDetach=false", "fetch", "-q", "--prune", "origin", "+refs/heads/*:refs/heads/*")
		return err
	})
}

// cloneMirror creates the mirror in a temporary directory renamed into place.
func (p *Provider) cloneMirror(ctx context.Context, repoURL, path string) error {
	if err := os.MkdirAll(p.CacheDir, 0o755); err != nil {
		return err
	}
	return p.retry(ctx, "cloning "+repoURL, func() error {
		tmp, release, err := scratch.MkdirTemp(p.CacheDir, "", cloneTag)
		if err != nil {
			return err
		}
		defer release()
		defer os.RemoveAll(tmp)
		dest := filepath.Join(tmp, "repo.git")
		if _, err := p.network().Run(ctx, "clone", "-q", "--bare", repoURL, dest); err != nil {
			return err
		}
		return os.Rename(dest, path)
	})
}

// cloneTag tags the temporary directories of mirror clones (see package scratch).
const cloneTag = ".clone-"

// sweepClones removes the temporary clones that killed runs left in the cache.
func (p *Provider) sweepClones() {
	if err := scratch.Sweep(p.CacheDir, cloneTag); err != nil && p.Log != nil {
		p.Log.Warn("Could not remove a leftover clone from the dist-git cache", "error", err)
	}
}

// retry runs op up to Retries times with exponential backoff (2 s doubling, at most 30 s).
func (p *Provider) retry(ctx context.Context, what string, op func() error) error {
	attempts := max(p.Retries, 1)
	delay := 2 * time.Second
	var err error
	for i := 1; i <= attempts; i++ {
		if err = op(); err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return context.Cause(ctx) // no retry, no warning
		}
		if i == attempts {
			break
		}
		if p.Log != nil {
			p.Log.Warn("Retrying after a git failure", "operation", what, "attempt", i, "error", err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(delay):
		}
		delay = min(delay*2, 30*time.Second)
	}
	return fmt.Errorf("%s failed after %d attempt(s): %w", what, attempts, err)
}

// lockMirror serializes work on one mirror within this process and across processes.
func (p *Provider) lockMirror(path string) (func(), error) {
	mu, _ := p.mirrorLocks.LoadOrStore(path, &sync.Mutex{})
	mu.(*sync.Mutex).Lock()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		mu.(*sync.Mutex).Unlock()
		return nil, err
	}
	f, err := os.OpenFile(path+".lock", os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		mu.(*sync.Mutex).Unlock()
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		mu.(*sync.Mutex).Unlock()
		return nil, err
	}
	return func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
		mu.(*sync.Mutex).Unlock()
	}, nil
}
