// Package history gives a prepared sources directory a synthetic git history:
// one commit per project commit that changed the component's lock
// fingerprint, on top of the upstream history (or an "Initial sources" commit
// for local components), with the Release bumped accordingly.
package history

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/azlforge/azldev/internal/foundation/atomicfile"
	"github.com/azlforge/azldev/internal/foundation/command"
	"github.com/azlforge/azldev/internal/foundation/git"
	"github.com/azlforge/azldev/internal/lock/lockfile"
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
func LockChanges(ctx context.Context, configFile, lockPath string) ([]Change, *lockfile.Lock, error) {
	repo, err := git.RepoRoot(ctx, filepath.Dir(configFile))
	if err != nil {
		return nil, nil, err
	}
	rel, err := filepath.Rel(repo, lockPath)
	if err != nil {
		return nil, nil, err
	}
	rel = filepath.ToSlash(rel)
	g := git.Repo{Dir: repo}
	head, err := g.Run(ctx, "show", "HEAD:"+rel)
	if command.ExitCode(err) > 0 {
		return nil, nil, ErrNoLock
	}
	if err != nil {
		return nil, nil, err
	}
	headLock, err := lockfile.ParseNamed(rel+"@HEAD", head)
	if err != nil {
		return nil, nil, err
	}
	commits, err := lockCommits(ctx, g, rel)
	if err != nil {
		return nil, nil, err
	}
	changes, err := fingerprintChanges(ctx, g, rel, commits)
	if err != nil {
		return nil, nil, err
	}
	if len(changes) == 0 {
		if shallow, _ := g.Output(ctx, "rev-parse", "--is-shallow-repository"); shallow == "true" {
			return nil, nil, fmt.Errorf("lock file %s has no git history; a full clone is required", rel)
		}
	}
	return changes, headLock, nil
}

// lockCommits lists the commits touching rel, oldest first.
func lockCommits(ctx context.Context, g git.Repo, rel string) ([]Change, error) {
	out, err := g.Run(ctx, "log", "--format=%H%x00%an%x00%ae%x00%at%x00%s%x01", "--", rel)
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
func fingerprintChanges(ctx context.Context, g git.Repo, rel string, commits []Change) ([]Change, error) {
	blobs, err := readBlobs(ctx, g, rel, commits)
	if err != nil {
		return nil, err
	}
	return changesOf(rel, commits, blobs)
}

// changesOf keeps the commits whose lock (blobs[i], nil where deleted) has a
// fingerprint different from the previous one.
func changesOf(rel string, commits []Change, blobs [][]byte) ([]Change, error) {
	locks := make([]*lockfile.Lock, len(commits))
	for i, c := range commits {
		if blobs[i] == nil {
			continue // deleted in this commit
		}
		l, err := lockfile.ParseNamed(rel+"@"+c.Hash[:12], blobs[i])
		if err != nil {
			return nil, err
		}
		locks[i] = l
	}
	var out []Change
	for _, i := range lockfile.FingerprintChanges(locks) {
		c := commits[i]
		c.UpstreamCommit = locks[i].UpstreamCommit
		out = append(out, c)
	}
	return out, nil
}

// readBlobs reads rel at every commit with one git cat-file process; nil where absent.
func readBlobs(ctx context.Context, g git.Repo, rel string, commits []Change) ([][]byte, error) {
	names := make([]string, len(commits))
	for i, c := range commits {
		names[i] = c.Hash + ":" + rel
	}
	return g.ReadObjects(ctx, names)
}

// Synthesize commits the prepared tree in dir as "Initial sources"
// followed by one commit per change (local components: dir has no
// repository yet); the last one carries the final tree.
func Synthesize(ctx context.Context, dir string, changes []Change) error {
	g := git.Repo{Dir: dir}
	if _, err := g.Run(ctx, "init", "-q"); err != nil {
		return err
	}
	tree, err := writeTree(ctx, g)
	if err != nil {
		return err
	}
	root, err := commit(ctx, g, tree, "", "Initial sources", git.Identity("azldev", "", "@0 +0000"))
	if err != nil {
		return err
	}
	items := []item{{hash: root}}
	for _, c := range changes {
		items = append(items, item{change: &c})
	}
	return replay(ctx, g, items, tree)
}

// Replay rebuilds the upstream checkout in dir as a linear history: the
// import commit keeps its hash, later first-parent upstream commits are
// re-parented, and each change becomes a commit after the upstream commit it
// was locked to (changes on the newest commit, or none, go on top). The last
// change commit carries the final (overlaid) tree.
func Replay(ctx context.Context, dir, importCommit string, changes []Change, warn func(msg string, args ...any)) error {
	g := git.Repo{Dir: dir}
	tree, err := writeTree(ctx, g)
	if err != nil {
		return err
	}
	upstream, err := upstreamRange(ctx, g, importCommit, changes[len(changes)-1].UpstreamCommit)
	if err != nil {
		return err
	}
	return replay(ctx, g, sequence(upstream, changes, warn), tree)
}

// upstreamRange lists first-parent commits from import to latest, oldest first.
func upstreamRange(ctx context.Context, g git.Repo, importCommit, latest string) ([]string, error) {
	out, err := g.Output(ctx, "rev-list", "--first-parent", "HEAD")
	if err != nil {
		return nil, err
	}
	all := strings.Fields(out)
	start := slices.Index(all, latest)
	if start < 0 {
		return nil, fmt.Errorf("upstream-commit `%s` not found in dist-git history; pins must be full 40-character commit hashes", latest)
	}
	end := slices.Index(all[start:], importCommit)
	if end < 0 {
		return nil, fmt.Errorf("import-commit `%s` not found in the first-parent history of `%s`", importCommit, latest)
	}
	seq := slices.Clone(all[start : start+end+1])
	slices.Reverse(seq)
	return seq, nil
}

// item is one commit of the rebuilt history: an upstream commit or a change.
type item struct {
	hash   string  // upstream commit
	change *Change // synthetic commit
}

// sequence interleaves changes with the upstream commits they were locked to.
func sequence(upstream []string, changes []Change, warn func(string, ...any)) []item {
	newest := upstream[len(upstream)-1]
	at := map[string][]Change{}
	var top []Change
	for _, c := range changes {
		switch {
		case c.UpstreamCommit == "" || c.UpstreamCommit == newest:
			top = append(top, c)
		case slices.Contains(upstream, c.UpstreamCommit):
			at[c.UpstreamCommit] = append(at[c.UpstreamCommit], c)
		default:
			warn("Dropping a lock change whose upstream commit is not in the replayed history", "commit", c.Hash, "upstreamCommit", c.UpstreamCommit)
		}
	}
	var items []item
	for _, u := range upstream {
		items = append(items, item{hash: u})
		for _, c := range at[u] {
			items = append(items, item{change: &c})
		}
	}
	for _, c := range top {
		items = append(items, item{change: &c})
	}
	return items
}

// replay writes items on a single line of parents and points HEAD at the last one.
func replay(ctx context.Context, g git.Repo, items []item, finalTree string) error {
	lastChange := -1
	for i, it := range items {
		if it.change != nil {
			lastChange = i
		}
	}
	head := items[0].hash
	for i, it := range items[1:] {
		var err error
		if it.change == nil {
			head, err = reparent(ctx, g, it.hash, head)
		} else {
			tree := finalTree
			if i+1 != lastChange {
				tree, err = g.Output(ctx, "rev-parse", head+"^{tree}")
			}
			if err == nil {
				head, err = commitChange(ctx, g, tree, head, it.change)
			}
		}
		if err != nil {
			return err
		}
	}
	return detachHead(ctx, g, head)
}

// detachHead points HEAD at commit, detached: written directly when .git is
// a directory (one git process less per component), else by update-ref.
func detachHead(ctx context.Context, g git.Repo, commit string) error {
	gitDir := filepath.Join(g.Dir, ".git")
	if fi, err := os.Stat(gitDir); err == nil && fi.IsDir() {
		return atomicfile.WriteBytes(filepath.Join(gitDir, "HEAD"), []byte(commit+"\n"), 0o644)
	}
	_, err := g.Run(ctx, "update-ref", "--no-deref", "HEAD", commit)
	return err
}

// commitChange records a project change as a commit by its author.
func commitChange(ctx context.Context, g git.Repo, tree, parent string, c *Change) (string, error) {
	msg := c.Subject + "\n\nProject commit: " + c.Hash
	return commit(ctx, g, tree, parent, msg, git.Identity(c.Author, c.Email, fmt.Sprintf("@%d +0000", c.Time)))
}

// reparent re-creates a commit with the same tree, identities and message but a single new parent.
func reparent(ctx context.Context, g git.Repo, hash, parent string) (string, error) {
	raw, err := g.Run(ctx, "cat-file", "commit", hash)
	if err != nil {
		return "", err
	}
	header, body, _ := bytes.Cut(raw, []byte("\n\n"))
	var out bytes.Buffer
	inSig := false
	for _, line := range strings.Split(string(header), "\n") {
		switch {
		case inSig && strings.HasPrefix(line, " "):
			continue // continuation of a signature, which would no longer verify
		case strings.HasPrefix(line, "gpgsig"), strings.HasPrefix(line, "mergetag"):
			inSig = true
			continue
		case strings.HasPrefix(line, "parent "):
			continue
		}
		inSig = false
		out.WriteString(line + "\n")
		if strings.HasPrefix(line, "tree ") {
			out.WriteString("parent " + parent + "\n")
		}
	}
	out.WriteString("\n")
	out.Write(body)
	obj, err := g.RunInput(ctx, out.Bytes(), "hash-object", "-t", "commit", "-w", "--stdin")
	return strings.TrimSpace(string(obj)), err
}

// writeTree stages the whole work tree and returns its tree id.
func writeTree(ctx context.Context, g git.Repo) (string, error) {
	if _, err := g.Run(ctx, "add", "-A", "--force", "."); err != nil {
		return "", err
	}
	return g.Output(ctx, "write-tree")
}

// commit creates a commit object without touching the index or hooks.
func commit(ctx context.Context, g git.Repo, tree, parent, msg string, identity []string) (string, error) {
	args := []string{"commit-tree", tree, "-F", "-"}
	if parent != "" {
		args = append(args, "-p", parent)
	}
	g.Env = append(g.Env, identity...)
	out, err := g.RunInput(ctx, []byte(msg), args...)
	return strings.TrimSpace(string(out)), err
}
