package distgit

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/azlforge/azldev/internal/foundation/scratch"
	"github.com/azlforge/azldev/internal/testutil"
)

// linear returns commits c1..cn one day apart from 2026-02-20.
func linear(n int) []testutil.Commit {
	var out []testutil.Commit
	for i := 1; i <= n; i++ {
		out = append(out, commit(fmt.Sprintf("c%d", i), day(2, 19+i)))
	}
	return out
}

// rewriteUpstream replaces the fixture's branch with commits.
func rewriteUpstream(t *testing.T, up *upstream, commits []testutil.Commit) {
	t.Helper()
	if err := testutil.BareRepo(up.path, "f43", commits); err != nil {
		t.Fatal(err)
	}
	up.reload(t)
}

func TestMirrorPath(t *testing.T) {
	p := &Provider{CacheDir: "/cache"}
	tests := []struct{ url, prefix string }{
		{"https://src.fedoraproject.org/rpms/hello.git", "/cache/hello-"},
		{"https://src.fedoraproject.org/rpms/hello", "/cache/hello-"},
		{"https://src.example/rpms/gtk+%20x.git", "/cache/gtk_20x-"},
		{"file:///srv/a b/c$d.git", "/cache/c_d-"},
	}
	seen := map[string]string{}
	for _, tt := range tests {
		got := p.mirrorPath(tt.url)
		if !strings.HasPrefix(got, tt.prefix) || !strings.HasSuffix(got, ".git") || len(got) != len(tt.prefix)+12+len(".git") {
			t.Errorf("mirrorPath(%q) = %q, want %s<12 hex>.git", tt.url, got, tt.prefix)
		}
		if other, dup := seen[got]; dup {
			t.Errorf("%q and %q share the mirror %s", tt.url, other, got)
		}
		seen[got] = tt.url
		if again := p.mirrorPath(tt.url); again != got {
			t.Errorf("mirrorPath(%q) is not stable: %s then %s", tt.url, got, again)
		}
		if !p.isMirror(got) {
			t.Errorf("isMirror(%s) = false", got)
		}
	}
	if p.isMirror("/cache") || p.isMirror("/cachex/hello.git") || (&Provider{}).isMirror("/hello.git") {
		t.Error("isMirror accepts paths outside the cache")
	}
}

func TestMirrorCreateAndFetch(t *testing.T) {
	up := newUpstream(t, t.TempDir(), "hello", linear(2))
	cache := filepath.Join(t.TempDir(), "cache")
	p := &Provider{CacheDir: cache}
	ctx := context.Background()

	path, err := p.mirror(ctx, up.url, false)
	if err != nil {
		t.Fatal(err)
	}
	if path != p.mirrorPath(up.url) {
		t.Errorf("mirror at %s, want %s", path, p.mirrorPath(up.url))
	}
	if runGit(t, path, "rev-parse", "--is-bare-repository") != "true" {
		t.Error("the mirror is not bare")
	}
	if got := runGit(t, path, "rev-parse", "refs/heads/f43"); got != up.hash(t, "c2") {
		t.Errorf("mirror f43 = %s, want c2", got)
	}
	entries, _ := os.ReadDir(cache)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".clone-") {
			t.Errorf("temporary clone %s left behind", e.Name())
		}
	}
	marker := filepath.Join(path, "azldev-test-marker")
	if err := os.WriteFile(marker, nil, 0o644); err != nil {
		t.Fatal(err)
	}

	// Upstream moves on; an existing mirror is only fetched on refresh.
	up.add(t, linear(3))
	if _, err := p.mirror(ctx, up.url, false); err != nil {
		t.Fatal(err)
	}
	if got := runGit(t, path, "rev-parse", "refs/heads/f43"); got != up.hash(t, "c2") {
		t.Errorf("mirror was fetched without refresh: f43 = %s", got)
	}
	if _, err := p.mirror(ctx, up.url, true); err != nil {
		t.Fatal(err)
	}
	if got := runGit(t, path, "rev-parse", "refs/heads/f43"); got != up.hash(t, "c3") {
		t.Errorf("after refresh f43 = %s, want c3", got)
	}

	// History rewritten upstream (non-fast-forward) and a branch deleted.
	runGit(t, up.path, "branch", "f42", up.hash(t, "c1"))
	if _, err := p.mirror(ctx, up.url, true); err != nil {
		t.Fatal(err)
	}
	if _, err := gitOutput(path, "rev-parse", "--verify", "refs/heads/f42"); err != nil {
		t.Errorf("new branch not fetched: %v", err)
	}
	runGit(t, up.path, "branch", "-D", "f42")
	other := []testutil.Commit{commit("c1", day(2, 20)), commit("rewritten", day(3, 1))}
	rewriteUpstream(t, up, other)
	if _, err := p.mirror(ctx, up.url, true); err != nil {
		t.Fatal(err)
	}
	if got := runGit(t, path, "rev-parse", "refs/heads/f43"); got != up.hash(t, "rewritten") {
		t.Errorf("forced update not fetched: f43 = %s", got)
	}
	if _, err := gitOutput(path, "rev-parse", "--verify", "refs/heads/f42"); err == nil {
		t.Error("deleted branch not pruned")
	}
	if _, err := os.Stat(marker); err != nil {
		t.Errorf("the mirror was re-created instead of fetched: %v", err)
	}
}

// add appends commits (a longer list with the same prefix) to the fixture.
func (u *upstream) add(t *testing.T, commits []testutil.Commit) {
	t.Helper()
	rewriteUpstream(t, u, commits)
}

func TestMirrorErrors(t *testing.T) {
	ctx := context.Background()
	if _, err := (&Provider{}).mirror(ctx, "https://x.invalid/hello.git", false); err == nil || !strings.Contains(err.Error(), "no cache directory") {
		t.Errorf("no cache: %v", err)
	}
	cache := filepath.Join(t.TempDir(), "cache")
	p := &Provider{CacheDir: cache, Retries: 1}
	url := "file://" + filepath.Join(t.TempDir(), "missing.git")
	_, err := p.mirror(ctx, url, false)
	if err == nil || !strings.Contains(err.Error(), "cloning "+url+" failed after 1 attempt(s)") {
		t.Fatalf("missing upstream: %v", err)
	}
	if _, err := os.Stat(p.mirrorPath(url)); !os.IsNotExist(err) {
		t.Errorf("a failed clone left a mirror: %v", err)
	}
	entries, _ := os.ReadDir(cache)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".clone-") {
			t.Errorf("temporary clone %s left behind", e.Name())
		}
	}
	// The next attempt starts afresh and succeeds once the upstream exists.
	up := newUpstream(t, t.TempDir(), "hello", linear(1))
	if _, err := p.mirror(ctx, up.url, false); err != nil {
		t.Fatal(err)
	}
}

func TestRetry(t *testing.T) {
	boom := errors.New("boom")
	t.Run("one attempt", func(t *testing.T) {
		calls := 0
		err := (&Provider{}).retry(context.Background(), "op", func() error { calls++; return boom })
		if !errors.Is(err, boom) || calls != 1 || !strings.Contains(err.Error(), "op failed after 1 attempt(s)") {
			t.Errorf("err %v after %d calls", err, calls)
		}
	})
	t.Run("success stops", func(t *testing.T) {
		calls := 0
		err := (&Provider{Retries: 5}).retry(context.Background(), "op", func() error { calls++; return nil })
		if err != nil || calls != 1 {
			t.Errorf("err %v after %d calls", err, calls)
		}
	})
	t.Run("cancelled during backoff", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		calls := 0
		start := time.Now()
		err := (&Provider{Retries: 3}).retry(ctx, "op", func() error { calls++; cancel(); return boom })
		if !errors.Is(err, context.Canceled) || calls != 1 || time.Since(start) > time.Second {
			t.Errorf("err %v after %d calls in %v", err, calls, time.Since(start))
		}
	})
	t.Run("second attempt succeeds", func(t *testing.T) {
		if testing.Short() {
			t.Skip("waits for the 2 s backoff")
		}
		calls := 0
		err := (&Provider{Retries: 3}).retry(context.Background(), "op", func() error {
			calls++
			if calls == 1 {
				return boom
			}
			return nil
		})
		if err != nil || calls != 2 {
			t.Errorf("err %v after %d calls", err, calls)
		}
	})
}

// remoteProvider returns a provider that treats every non-file URL as
// remote (it sees no insteadOf rules) while git itself maps
// https://dist-git.test/ to dir: mirroring can then be exercised offline.
func remoteProvider(t *testing.T, dir string) *Provider {
	t.Helper()
	setGitConfig(t, "[url \"file://"+dir+"/\"]\n\tinsteadOf = https://dist-git.test/\n")
	p := &Provider{CacheDir: filepath.Join(t.TempDir(), "cache"), Retries: 1}
	p.rewritesOnce.Do(func() {}) // no rules known to the provider
	return p
}

func TestResolveAndCheckoutThroughMirror(t *testing.T) {
	dir := t.TempDir()
	up := newUpstream(t, dir, "hello", linear(2))
	p := remoteProvider(t, dir)
	ctx := context.Background()
	const repoURL = "https://dist-git.test/hello.git"

	got, err := p.ResolveCommit(ctx, repoURL, "f43", "", "")
	if err != nil {
		t.Fatal(err)
	}
	if got != up.hash(t, "c2") {
		t.Errorf("tip = %s, want c2", got)
	}
	mirror := p.mirrorPath(repoURL)
	if _, err := os.Stat(mirror); err != nil {
		t.Fatalf("no mirror: %v", err)
	}

	// ResolveCommit refreshes the mirror.
	up.add(t, linear(3))
	if got, err := p.ResolveCommit(ctx, repoURL, "f43", "2026-02-21T00:00:00Z", ""); err != nil || got != up.hash(t, "c2") {
		t.Errorf("snapshot: %s, %v", got, err)
	}
	if got, err := p.ResolveCommit(ctx, repoURL, "f43", "", ""); err != nil || got != up.hash(t, "c3") {
		t.Errorf("tip after upstream moved: %s, %v", got, err)
	}

	// A pin newer than the mirror: Checkout fetches and retries once.
	up.add(t, linear(4))
	c4 := up.hash(t, "c4")
	dest := filepath.Join(t.TempDir(), "hello")
	if err := p.Checkout(ctx, repoURL, "f43", c4, dest); err != nil {
		t.Fatal(err)
	}
	if got := runGit(t, dest, "rev-parse", "HEAD"); got != c4 {
		t.Errorf("HEAD = %s, want c4", got)
	}
	if got := runGit(t, dest, "config", "remote.origin.url"); got != repoURL {
		t.Errorf("origin = %s", got)
	}
	if got := runGit(t, mirror, "rev-parse", "refs/heads/f43"); got != c4 {
		t.Errorf("mirror not refreshed: %s", got)
	}

	// A commit that exists nowhere fails after the refresh.
	if err := p.Checkout(ctx, repoURL, "f43", strings.Repeat("1", 40), filepath.Join(t.TempDir(), "x")); err == nil {
		t.Error("checkout of an unknown commit succeeded")
	}
}

// Several goroutines, and two providers sharing the cache (as two azldev
// processes would), create, refresh and read one mirror at the same time.
func TestMirrorParallel(t *testing.T) {
	dir := t.TempDir()
	up := newUpstream(t, dir, "hello", linear(3))
	p1 := remoteProvider(t, dir)
	p2 := &Provider{CacheDir: p1.CacheDir, Retries: 1}
	p2.rewritesOnce.Do(func() {})
	const repoURL = "https://dist-git.test/hello.git"
	want, c2 := up.hash(t, "c3"), up.hash(t, "c2")

	const n = 12
	var wg sync.WaitGroup
	errs := make(chan error, 2*n)
	for i := range n {
		p := p1
		if i%3 == 0 {
			p = p2
		}
		wg.Go(func() {
			ctx := context.Background()
			got, err := p.ResolveCommit(ctx, repoURL, "f43", "", "")
			if err == nil && got != want {
				err = fmt.Errorf("resolved %s, want %s", got, want)
			}
			if err == nil {
				_, err = p.mirror(ctx, repoURL, i%2 == 0)
			}
			if err == nil {
				dest := filepath.Join(dir, fmt.Sprintf("co-%d", i))
				err = p.Checkout(ctx, repoURL, "f43", c2, dest)
			}
			if err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	entries, err := os.ReadDir(p1.CacheDir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	wantNames := []string{filepath.Base(p1.mirrorPath(repoURL)), filepath.Base(p1.mirrorPath(repoURL)) + ".lock"}
	if strings.Join(names, " ") != strings.Join(wantNames, " ") {
		t.Errorf("cache holds %v, want %v", names, wantNames)
	}
	if out, err := gitOutput(p1.mirrorPath(repoURL), "fsck", "--no-progress"); err != nil {
		t.Errorf("fsck: %v\n%s", err, out)
	}
}

// A local clone copies the mirror's files, so Checkout's clone waits while
// another process (here another provider sharing the cache) holds the mirror
// lock, for instance during a fetch; so do resolution and mirroring.
func TestCheckoutWaitsForMirrorLock(t *testing.T) {
	dir := t.TempDir()
	newUpstream(t, dir, "hello", linear(2))
	p := remoteProvider(t, dir)
	const repoURL = "https://dist-git.test/hello.git"
	ctx := context.Background()
	if _, err := p.ResolveCommit(ctx, repoURL, "f43", "", ""); err != nil {
		t.Fatal(err)
	}
	other := &Provider{CacheDir: p.CacheDir}
	for _, tt := range []struct {
		name string
		run  func() error
	}{
		// Checkout's clone from the mirror (Checkout itself first waits in mirror).
		{"clone", func() error { return p.cloneFrom(ctx, p.mirrorPath(repoURL), "f43", filepath.Join(dir, "co")) }},
		{"resolve", func() error { _, err := p.ResolveCommit(ctx, repoURL, "f43", "", ""); return err }},
		{"mirror", func() error { _, err := p.mirror(ctx, repoURL, false); return err }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			unlock, err := other.lockMirror(p.mirrorPath(repoURL))
			if err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- tt.run() }()
			select {
			case err := <-done:
				unlock()
				t.Fatalf("finished while the mirror was locked by another process (err %v)", err)
			case <-time.After(300 * time.Millisecond):
			}
			unlock()
			select {
			case err := <-done:
				if err != nil {
					t.Fatal(err)
				}
			case <-time.After(30 * time.Second):
				t.Fatal("still waiting after the lock was released")
			}
		})
	}
}

// TestMirrorSweepsKilledClones: a temporary clone a killed run left in the
// cache (finding 3) is removed on the provider's first use of the cache; a
// clone held by a live run stays.
func TestMirrorSweepsKilledClones(t *testing.T) {
	up := newUpstream(t, t.TempDir(), "hello", linear(1))
	cache := filepath.Join(t.TempDir(), "cache")
	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Fatal(err)
	}
	leftover := filepath.Join(cache, fmt.Sprintf(".clone-%d-77", dead.Process.Pid))
	if err := os.MkdirAll(filepath.Join(leftover, "repo.git", "objects"), 0o755); err != nil {
		t.Fatal(err)
	}
	live, release, err := scratch.MkdirTemp(cache, "", cloneTag)
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	p := &Provider{CacheDir: cache}
	if _, err := p.mirror(context.Background(), up.url, false); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(leftover); !os.IsNotExist(err) {
		t.Errorf("the killed run's clone is still in the cache (err %v)", err)
	}
	if _, err := os.Stat(live); err != nil {
		t.Errorf("a live clone was swept: %v", err)
	}
}
