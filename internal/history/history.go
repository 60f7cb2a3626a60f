// Package history gives a prepared sources directory a synthetic git history:
// one commit per project commit that changed the component's lock
// fingerprint, on top of the upstream history (or an "Initial sources" commit
// for local components), with the Release bumped accordingly.
package history

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/azlforge/azldev/internal/gitcmd"
	"github.com/azlforge/azldev/internal/lock"
)

// Change is a project commit that changed the component's lock fingerprint.
type Change struct {
	Hash           string // project commit, or "dirty" for uncommitted changes
	Author, Email  string
	Time           int64 // author time, Unix seconds
	Subject        string
	UpstreamCommit string // the lock's upstream-commit in that commit
}

// ErrNoLock means the lock file is not committed at HEAD: no history is made.
var ErrNoLock = errors.New("lock file not committed at HEAD")

// LockChanges reads the committed history of a lock file in the project
// repository containing configFile and returns the fingerprint changes,
// oldest first, plus the lock as committed at HEAD.
func LockChanges(configFile, lockPath string) ([]Change, *lock.Lock, error) {
	repo, err := RepoRoot(filepath.Dir(configFile))
	if err != nil {
		return nil, nil, err
	}
	rel, err := filepath.Rel(repo, lockPath)
	if err != nil {
		return nil, nil, err
	}
	rel = filepath.ToSlash(rel)
	g := gitcmd.Git{Dir: repo}
	head, err := g.Run("show", "HEAD:"+rel)
	if err != nil {
		return nil, nil, ErrNoLock
	}
	headLock, err := lock.ParseNamed(rel+"@HEAD", head)
	if err != nil {
		return nil, nil, err
	}
	commits, err := lockCommits(g, rel)
	if err != nil {
		return nil, nil, err
	}
	changes, err := fingerprintChanges(g, rel, commits)
	if err != nil {
		return nil, nil, err
	}
	if len(changes) == 0 {
		if shallow, _ := g.Output("rev-parse", "--is-shallow-repository"); shallow == "true" {
			return nil, nil, fmt.Errorf("lock file %s has no git history; a full clone is required", rel)
		}
	}
	return changes, headLock, nil
}

// RepoRoot returns the top of the git work tree containing dir.
func RepoRoot(dir string) (string, error) {
	top, err := gitcmd.Git{Dir: dir}.Output("rev-parse", "--show-toplevel")
	if err != nil {
		if errors.Is(err, gitcmd.ErrNoGit) {
			return "", err
		}
		return "", fmt.Errorf("failed to find project repository for %s: repository does not exist", dir)
	}
	return top, nil
}

// lockCommits lists the commits touching rel, oldest first.
func lockCommits(g gitcmd.Git, rel string) ([]Change, error) {
	out, err := g.Run("log", "--format=%H%x00%an%x00%ae%x00%at%x00%s%x01", "--", rel)
	if err != nil {
		return nil, err
	}
	var commits []Change
	for _, rec := range strings.Split(string(out), "\x01") {
		f := strings.Split(strings.TrimLeft(rec, "\n"), "\x00")
		if len(f) != 5 {
			continue
		}
		t, err := strconv.ParseInt(f[3], 10, 64)
		if err != nil {
			return nil, fmt.Errorf("git log: bad author time %q", f[3])
		}
		commits = append(commits, Change{Hash: f[0], Author: f[1], Email: f[2], Time: t, Subject: f[4]})
	}
	for i, j := 0, len(commits)-1; i < j; i, j = i+1, j-1 {
		commits[i], commits[j] = commits[j], commits[i]
	}
	return commits, nil
}

// fingerprintChanges keeps the commits whose lock fingerprint differs from the previous one.
func fingerprintChanges(g gitcmd.Git, rel string, commits []Change) ([]Change, error) {
	blobs, err := readBlobs(g, rel, commits)
	if err != nil {
		return nil, err
	}
	var out []Change
	prev := ""
	for i, c := range commits {
		if blobs[i] == nil {
			prev = ""
			continue // deleted in this commit
		}
		l, err := lock.ParseNamed(rel+"@"+c.Hash[:12], blobs[i])
		if err != nil {
			return nil, err
		}
		if len(out) == 0 || l.InputFingerprint != prev {
			c.UpstreamCommit = l.UpstreamCommit
			out = append(out, c)
		}
		prev = l.InputFingerprint
	}
	return out, nil
}

// readBlobs reads rel at every commit with one git cat-file process; nil where absent.
func readBlobs(g gitcmd.Git, rel string, commits []Change) ([][]byte, error) {
	names := make([]string, len(commits))
	for i, c := range commits {
		names[i] = c.Hash + ":" + rel
	}
	return g.ReadObjects(names)
}

// Synthesize commits the prepared tree in dir as "Initial sources" (when dir
// has no repository yet) followed by one commit per change; the last carries
// the final tree. HEAD ends on the last commit.
func Synthesize(dir string, changes []Change) error {
	g := gitcmd.Git{Dir: dir}
	if _, err := os.Stat(filepath.Join(dir, ".git")); errors.Is(err, os.ErrNotExist) {
		if _, err := g.Run("init", "-q"); err != nil {
			return err
		}
	}
	tree, err := writeTree(g)
	if err != nil {
		return err
	}
	parent, err := g.Output("rev-parse", "-q", "--verify", "HEAD")
	if err != nil {
		parent, err = commit(g, tree, "", "Initial sources", gitcmd.Identity("azldev", "", "@0 +0000"))
		if err != nil {
			return err
		}
	}
	for _, c := range changes {
		msg := c.Subject + "\n\nProject commit: " + c.Hash
		date := fmt.Sprintf("@%d +0000", c.Time)
		if parent, err = commit(g, tree, parent, msg, gitcmd.Identity(c.Author, c.Email, date)); err != nil {
			return err
		}
	}
	_, err = g.Run("update-ref", "HEAD", parent)
	return err
}

// writeTree stages the whole work tree and returns its tree id.
func writeTree(g gitcmd.Git) (string, error) {
	if _, err := g.Run("add", "-A", "--force", "."); err != nil {
		return "", err
	}
	return g.Output("write-tree")
}

// commit creates a commit object without touching the index or hooks.
func commit(g gitcmd.Git, tree, parent, msg string, identity []string) (string, error) {
	args := []string{"commit-tree", tree, "-F", "-"}
	if parent != "" {
		args = append(args, "-p", parent)
	}
	g.Env = append(g.Env, identity...)
	out, err := g.RunInput([]byte(msg), args...)
	return strings.TrimSpace(string(out)), err
}
