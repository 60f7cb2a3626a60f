package distgit

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/azlforge/azldev/internal/foundation/git"
	"github.com/azlforge/azldev/internal/testutil"
)

func TestRepoURL(t *testing.T) {
	tests := []struct {
		template, name string
		want           string // "" means an error is expected
		errHas         string
	}{
		{template: "https://src.fedoraproject.org/rpms/$pkg.git", name: "hello", want: "https://src.fedoraproject.org/rpms/hello.git"},
		{template: "https://src.example/rpms/$pkg.git", name: "gtk+", want: "https://src.example/rpms/gtk+.git"},
		{template: "https://src.example/rpms/$pkg.git", name: "a/b", want: "https://src.example/rpms/a%2Fb.git"},
		{template: "https://src.example/rpms/$pkg.git", name: "a b?c#d%e", want: "https://src.example/rpms/a%20b%3Fc%23d%25e.git"},
		{template: "https://src.example/$pkg/$pkg.git", name: "x", want: "https://src.example/x/x.git"},
		{template: "https://src.example/fixed.git", name: "x", want: "https://src.example/fixed.git"},
		{template: "ssh://git@src.example:2222/rpms/$pkg", name: "hello", want: "ssh://git@src.example:2222/rpms/hello"},
		{template: "file:///srv/dist-git/$pkg.git", name: "hello", want: "file:///srv/dist-git/hello.git"},
		{template: "file:///srv/$pkg", name: "a b", want: "file:///srv/a%20b"},

		{template: "https://src.example/rpms/$pkg.git", name: "evil$pkg", errHas: "must not contain $pkg"},
		{template: "https://src.example/rpms/$pkg.git", name: "$pkg", errHas: "must not contain $pkg"},
		{template: "src.example/rpms/$pkg.git", name: "hello", errHas: "must be absolute"},
		{template: "/srv/dist-git/$pkg.git", name: "hello", errHas: "must be absolute"},
		{template: "https:///rpms/$pkg.git", name: "hello", errHas: "must be absolute"},
		{template: "$pkg", name: "hello", errHas: "must be absolute"},
		{template: "git@src.example:rpms/$pkg.git", name: "hello", errHas: "dist-git URL"},
		{template: "https://bad host/$pkg", name: "hello", errHas: "dist-git URL"},
	}
	for _, tt := range tests {
		got, err := RepoURL(tt.template, tt.name)
		if tt.errHas != "" {
			if err == nil || !strings.Contains(err.Error(), tt.errHas) {
				t.Errorf("RepoURL(%q, %q) = %q, %v; want an error containing %q", tt.template, tt.name, got, err, tt.errHas)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("RepoURL(%q, %q) = %q, %v; want %q", tt.template, tt.name, got, err, tt.want)
		}
	}
}

// snapshotFixture is a dist-git branch whose first-parent chain is
// c1 c2 c3 c4 merge c5, with a side commit merged by merge:
//
//	c1   2026-02-20
//	c2   2026-02-22
//	c3   authored 2026-02-23, committed 2026-02-25
//	c4   2026-02-27
//	side 2026-02-28 (second parent of merge, forked from c3)
//	merge 2026-03-02
//	c5   2026-03-05
func snapshotFixture(t *testing.T) *upstream {
	t.Helper()
	c3 := commit("c3", day(2, 23))
	c3.CommitterTime = day(2, 25)
	side := commit("side", day(2, 28))
	side.Parents = []int{3}
	merge := commit("merge", day(3, 2))
	merge.Parents = []int{4, 5}
	return newUpstream(t, t.TempDir(), "hello", []testutil.Commit{
		commit("c1", day(2, 20)), commit("c2", day(2, 22)), c3, commit("c4", day(2, 27)), side, merge, commit("c5", day(3, 5)),
	})
}

func TestResolveCommitSnapshot(t *testing.T) {
	up := snapshotFixture(t)
	p := &Provider{}
	tests := []struct {
		name, snapshot string
		want           string // subject of the expected commit; "" = error
		errHas         string
	}{
		{"branch tip without snapshot", "", "c5", ""},
		{"before the first commit", "2026-02-19T23:59:59Z", "", "no commits found before 2026-02-19T23:59:59Z"},
		{"exactly at the first commit", "2026-02-20T00:00:00Z", "c1", ""},
		{"at the first commit, other zone", "2026-02-19T16:00:00-08:00", "c1", ""},
		{"one second before, other zone", "2026-02-19T15:59:59-08:00", "", "no commits found"},
		{"fractional seconds are floored", "2026-02-20T00:00:00.999Z", "c1", ""},
		{"fraction just before the first commit", "2026-02-19T23:59:59.999Z", "", "no commits found"},
		{"between c1 and c2", "2026-02-21T12:00:00Z", "c1", ""},
		{"authored before, committed after", "2026-02-24T00:00:00Z", "c2", ""},
		{"reference example snapshot", "2026-02-24T00:00:00-08:00", "c2", ""},
		{"at the committer date", "2026-02-25T00:00:00Z", "c3", ""},
		{"side commit is not on the first-parent chain", "2026-03-01T00:00:00Z", "c4", ""},
		{"merge commit itself", "2026-03-02T00:00:00+00:00", "merge", ""},
		{"after every commit", "2030-01-01T00:00:00Z", "c5", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := p.ResolveCommit(context.Background(), up.url, "f43", tt.snapshot, "")
			if tt.want == "" {
				if err == nil || !strings.Contains(err.Error(), tt.errHas) {
					t.Fatalf("got %q, %v; want an error containing %q", got, err, tt.errHas)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if want := up.hash(t, tt.want); got != want {
				t.Errorf("got %s, want %s (%s)", got, want, tt.want)
			}
		})
	}
}

func TestResolveCommitErrors(t *testing.T) {
	up := snapshotFixture(t)
	p := &Provider{}
	missing := "file://" + filepath.Join(t.TempDir(), "nope.git")
	tests := []struct {
		name, url, branch, snapshot string
		errHas                      string
	}{
		{"missing branch", up.url, "f99", "", `branch "f99" not found`},
		{"missing branch with snapshot", up.url, "f99", "2026-03-01T00:00:00Z", `branch "f99"`},
		{"date only", up.url, "f43", "2026-02-24", "not an RFC 3339 time"},
		{"no zone", up.url, "f43", "2026-02-24T00:00:00", "not an RFC 3339 time"},
		{"words", up.url, "f43", "yesterday", "not an RFC 3339 time"},
		{"invalid snapshot on a missing repository", missing, "f43", "2026-13-01T00:00:00Z", "not an RFC 3339 time"},
		{"missing repository", missing, "f43", "", "dist-git repository " + missing},
		{"remote URL without a cache directory", "https://dist-git.invalid/rpms/hello.git", "f43", "", "no cache directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := p.ResolveCommit(context.Background(), tt.url, tt.branch, tt.snapshot, "")
			if err == nil || !strings.Contains(err.Error(), tt.errHas) {
				t.Fatalf("got %q, %v; want an error containing %q", got, err, tt.errHas)
			}
		})
	}
}

// A pin is returned verbatim: not verified, not expanded, and it wins over
// the snapshot (even an invalid one) without touching the repository.
func TestResolveCommitPinVerbatim(t *testing.T) {
	up := snapshotFixture(t)
	p := &Provider{}
	c2 := up.hash(t, "c2")
	for _, pin := range []string{c2, c2[:7], strings.ToUpper(c2), "deadbeef", "not-a-commit"} {
		for _, repoURL := range []string{up.url, "https://dist-git.invalid/rpms/hello.git"} {
			got, err := p.ResolveCommit(context.Background(), repoURL, "no-such-branch", "not a time", pin)
			if err != nil || got != pin {
				t.Errorf("pin %q on %s: got %q, %v", pin, repoURL, got, err)
			}
		}
	}
}

// A dist-git repository given as a file:// URL may be an ordinary clone with
// a work tree, as `git clone` (the reference) accepts it.
func TestResolveCommitNonBareLocalRepository(t *testing.T) {
	up := snapshotFixture(t)
	work := filepath.Join(t.TempDir(), "hello")
	if _, err := (git.Repo{}).Run(context.Background(), "clone", "-q", "--branch", "f43", up.path, work); err != nil {
		t.Fatal(err)
	}
	if !isWorkTree(work) {
		t.Fatal("the fixture is not a work tree")
	}
	p := &Provider{}
	for _, tt := range []struct{ snapshot, want string }{{"", "c5"}, {"2026-03-01T00:00:00Z", "c4"}} {
		got, err := p.ResolveCommit(context.Background(), "file://"+work, "f43", tt.snapshot, "")
		if err != nil {
			t.Fatalf("snapshot %q: %v", tt.snapshot, err)
		}
		if got != up.hash(t, tt.want) {
			t.Errorf("snapshot %q: got %s, want %s", tt.snapshot, got, tt.want)
		}
	}
	dest := filepath.Join(t.TempDir(), "co")
	if err := p.Checkout(context.Background(), "file://"+work, "f43", up.hash(t, "c2"), dest); err != nil {
		t.Fatal(err)
	}
	if got := runGit(t, dest, "rev-parse", "HEAD"); got != up.hash(t, "c2") {
		t.Errorf("checked out %s", got)
	}
}

// TestCommitIDsCheckedBeforeGit (finding 14): a commit that is not a commit
// id, an option above all, is refused before git runs, naming the value.
func TestCommitIDsCheckedBeforeGit(t *testing.T) {
	up := snapshotFixture(t)
	p := &Provider{}
	for _, bad := range []string{"--upload-pack=touch /tmp/pwned", "HEAD", "c2~1"} {
		dest := filepath.Join(t.TempDir(), "hello")
		err := p.Checkout(context.Background(), up.url, "f43", bad, dest)
		if err == nil || !strings.Contains(err.Error(), "is not a commit id") || strings.Contains(err.Error(), "usage:") {
			t.Errorf("Checkout(%q) = %v", bad, err)
		}
		if _, err := os.Stat(dest); err == nil {
			t.Errorf("Checkout(%q) cloned anyway", bad)
		}
		if _, err := p.HasCommit(context.Background(), up.url, bad); err == nil || !strings.Contains(err.Error(), "is not a commit id") {
			t.Errorf("HasCommit(%q) = %v", bad, err)
		}
	}
}

func TestHasCommit(t *testing.T) {
	up := snapshotFixture(t)
	c2 := up.hash(t, "c2")
	for commit, want := range map[string]bool{c2: true, c2[:7]: true, strings.Repeat("0", 40): false} {
		got, err := (&Provider{}).HasCommit(context.Background(), up.url, commit)
		if err != nil || got != want {
			t.Errorf("HasCommit(%s) = %v, %v; want %v", commit, got, err, want)
		}
	}
}

func TestCheckoutLocal(t *testing.T) {
	up := snapshotFixture(t)
	c2 := up.hash(t, "c2")
	tests := []struct {
		name, branch, commit string
		want                 string // subject; "" = error
	}{
		{"full hash", "f43", c2, "c2"},
		{"abbreviated pin", "f43", c2[:7], "c2"},
		{"side commit", "f43", up.hash(t, "side"), "side"},
		{"unknown commit", "f43", strings.Repeat("0", 40), ""},
		{"missing branch", "f99", c2, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &Provider{}
			dest := filepath.Join(t.TempDir(), "hello")
			err := p.Checkout(context.Background(), up.url, tt.branch, tt.commit, dest)
			if tt.want == "" {
				if err == nil {
					t.Fatal("no error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := runGit(t, dest, "rev-parse", "HEAD"); got != up.hash(t, tt.want) {
				t.Errorf("HEAD = %s, want %s", got, tt.want)
			}
			if _, err := gitOutput(dest, "symbolic-ref", "-q", "HEAD"); err == nil {
				t.Error("HEAD is not detached")
			}
			if got := runGit(t, dest, "config", "remote.origin.url"); got != up.url {
				t.Errorf("origin = %s, want %s", got, up.url)
			}
			data, err := os.ReadFile(filepath.Join(dest, "sources"))
			if err != nil || string(data) != tt.want+"\n" {
				t.Errorf("work tree sources = %q, %v", data, err)
			}
			if runGit(t, dest, "status", "--porcelain") != "" {
				t.Error("work tree is not clean")
			}
		})
	}
}

func TestRewrite(t *testing.T) {
	setGitConfig(t, `[url "file:///srv/short/"]
	insteadOf = https://example.test/
[url "file:///srv/long/"]
	insteadOf = https://example.test/rpms/
[url "file:///srv/mid/"]
	insteadOf = https://example.test/rp
[url "https://mirror.test/"]
	insteadOf = https://other.test/
[url "/abs/git/"]
	insteadOf = gitmirror:
	InsteadOf = alias:
[url "file:///my repos/"]
	insteadOf = https://space.test/
[url "file:///unused/"]
	pushInsteadOf = https://push.test/
`)
	tests := []struct {
		in, want string
		local    string // "" = not local
	}{
		{"https://example.test/rpms/hello.git", "file:///srv/long/hello.git", "/srv/long/hello.git"},
		{"https://example.test/rpmsx", "file:///srv/mid/msx", "/srv/mid/msx"},
		{"https://example.test/rp", "file:///srv/mid/", "/srv/mid/"},
		{"https://example.test/other/x.git", "file:///srv/short/other/x.git", "/srv/short/other/x.git"},
		{"https://other.test/x.git", "https://mirror.test/x.git", ""},
		{"gitmirror:hello.git", "/abs/git/hello.git", "/abs/git/hello.git"},
		{"alias:hello.git", "/abs/git/hello.git", "/abs/git/hello.git"},
		{"https://space.test/hello.git", "file:///my repos/hello.git", "/my repos/hello.git"},
		{"https://push.test/hello.git", "https://push.test/hello.git", ""},
		{"https://unrelated.test/example.test/", "https://unrelated.test/example.test/", ""},
		{"file:///srv/x.git", "file:///srv/x.git", "/srv/x.git"},
		{"/srv/plain.git", "/srv/plain.git", "/srv/plain.git"},
	}
	p := &Provider{}
	for _, tt := range tests {
		if got := p.rewrite(context.Background(), tt.in); got != tt.want {
			t.Errorf("rewrite(%q) = %q, want %q", tt.in, got, tt.want)
		}
		got, ok := p.localPath(context.Background(), tt.in)
		if ok != (tt.local != "") || got != tt.local {
			t.Errorf("localPath(%q) = %q, %v; want %q", tt.in, got, ok, tt.local)
		}
	}
}

func TestRewriteWithoutRules(t *testing.T) {
	setGitConfig(t, "[user]\n\tname = x\n")
	p := &Provider{}
	if got := p.rewrite(context.Background(), "https://example.test/x"); got != "https://example.test/x" {
		t.Errorf("got %q", got)
	}
	if len(p.rewrites) != 0 {
		t.Errorf("rules %v", p.rewrites)
	}
}

// A remote URL that the user's insteadOf rules map to a local repository is
// read in place: no cache directory is needed and none is created.
func TestResolveThroughInsteadOf(t *testing.T) {
	up := snapshotFixture(t)
	setGitConfig(t, "[url \"file://"+filepath.Dir(up.path)+"/\"]\n\tinsteadOf = https://src.example.test/rpms/\n")
	cache := filepath.Join(t.TempDir(), "cache")
	p := &Provider{CacheDir: cache}
	repoURL, err := RepoURL("https://src.example.test/rpms/$pkg.git", "hello")
	if err != nil {
		t.Fatal(err)
	}
	got, err := p.ResolveCommit(context.Background(), repoURL, "f43", "2026-02-24T00:00:00-08:00", "")
	if err != nil {
		t.Fatal(err)
	}
	if got != up.hash(t, "c2") {
		t.Errorf("got %s", got)
	}
	dest := filepath.Join(t.TempDir(), "hello")
	if err := p.Checkout(context.Background(), repoURL, "f43", got, dest); err != nil {
		t.Fatal(err)
	}
	if u := runGit(t, dest, "config", "remote.origin.url"); u != repoURL {
		t.Errorf("origin = %s, want the unrewritten %s", u, repoURL)
	}
	if _, err := os.Stat(cache); !os.IsNotExist(err) {
		t.Errorf("a local repository was mirrored into %s", cache)
	}
}

// Every git invocation is bounded: the stall timeout becomes git's low-speed limit.
func TestNetworkStallTimeout(t *testing.T) {
	tests := []struct {
		stall time.Duration
		want  string
	}{{0, "60"}, {-time.Second, "60"}, {90 * time.Second, "90"}, {time.Millisecond, "1"}}
	for _, tt := range tests {
		env := (&Provider{StallTimeout: tt.stall}).network().Env
		if !contains(env, "GIT_HTTP_LOW_SPEED_TIME="+tt.want) || !contains(env, "GIT_HTTP_LOW_SPEED_LIMIT=1000") {
			t.Errorf("stall %v: env %v", tt.stall, env)
		}
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
