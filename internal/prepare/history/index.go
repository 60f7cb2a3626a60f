package history

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/azlforge/azldev/internal/foundation/git"
	"github.com/azlforge/azldev/internal/lock/lockfile"
)

// Index is the committed history of every lock file of a lock directory,
// read once for a whole run (one git log, one cat-file) instead of four git
// processes per component. It answers LockChanges as the per-file reading
// does; a project history with merges is read per file instead, since a
// directory-wide log simplifies merges differently from a per-file one.
type Index struct {
	repo    string
	lockRel string              // the lock directory relative to repo, slash-separated
	commits map[string][]Change // lock path (repo-relative) → commits touching it, oldest first
	blobs   map[string][]byte   // "<commit>:<path>" → the lock at that commit (nil: deleted)
	heads   map[string][]byte   // path → the lock at HEAD
	merges  bool                // the lock history has merges: answer per file
	shallow bool
}

// NewIndex reads the history of the lock directory lockDir in the git
// repository holding projectDir.
func NewIndex(ctx context.Context, projectDir, lockDir string) (*Index, error) {
	repo, err := git.RepoRoot(ctx, projectDir)
	if err != nil {
		return nil, err
	}
	rel, err := git.RepoPath(repo, lockDir)
	if err != nil {
		return nil, err
	}
	ix := &Index{repo: repo, lockRel: rel, commits: map[string][]Change{}, heads: map[string][]byte{}}
	g := git.Repo{Dir: repo}
	if err := ix.readLog(ctx, g); err != nil || ix.merges {
		return ix, err
	}
	shallow, _ := g.Output(ctx, "rev-parse", "--is-shallow-repository")
	ix.shallow = shallow == "true"
	return ix, nil
}

// readLog lists, newest first, the commits touching the lock directory
// with the blob each left for every lock file it touched (git log --raw), so
// no path is ever looked up in a tree: a directory of thousands of locks
// makes "<commit>:<path>" look-ups quadratic.
func (ix *Index) readLog(ctx context.Context, g git.Repo) error {
	out, err := g.Run(ctx, "log", "--no-renames", "--raw", "--no-abbrev", "--format=%x01%H%x00%P%x00%an%x00%ae%x00%at%x00%s", "--", ix.lockRel)
	if err != nil {
		return err
	}
	blobOf := map[string]string{} // "<commit>:<path>" → blob ("" when deleted)
	for _, rec := range strings.Split(string(out), "\x01")[1:] {
		header, raw, _ := strings.Cut(rec, "\n")
		c, merge, err := parseHeader(header)
		if err != nil || merge {
			ix.merges = merge
			return err
		}
		for _, line := range strings.Split(raw, "\n") {
			blob, path, ok := parseRaw(line)
			if !ok || !strings.HasSuffix(path, lockfile.Ext) {
				continue
			}
			if _, seen := ix.commits[path]; !seen && blob != "" {
				ix.heads[path] = nil // filled with the newest blob below
				blobOf["HEAD:"+path] = blob
			}
			ix.commits[path] = append([]Change{c}, ix.commits[path]...) // oldest first
			blobOf[c.Hash+":"+path] = blob
		}
	}
	return ix.readBlobs(ctx, g, blobOf)
}

// parseHeader reads one commit line of the log; merge reports a commit
// with several parents.
func parseHeader(header string) (c Change, merge bool, err error) {
	f := strings.Split(header, "\x00")
	if len(f) != 6 {
		return c, false, fmt.Errorf("git log: unexpected record %q", header)
	}
	if strings.Contains(f[1], " ") {
		return c, true, nil
	}
	t, err := strconv.ParseInt(f[4], 10, 64)
	if err != nil {
		return c, false, fmt.Errorf("git log: bad author time %q", f[4])
	}
	return Change{Hash: f[0], Author: f[2], Email: f[3], Time: t, Subject: f[5]}, false, nil
}

// parseRaw reads a `git log --raw` line ":<mode> <mode> <old> <new> <status>\t<path>";
// blob is "" for a deletion.
func parseRaw(line string) (blob, path string, ok bool) {
	meta, path, ok := strings.Cut(line, "\t")
	f := strings.Fields(meta)
	if !ok || len(f) != 5 || !strings.HasPrefix(f[0], ":") {
		return "", "", false
	}
	if strings.Trim(f[3], "0") == "" {
		return "", path, true
	}
	return f[3], path, true
}

// readBlobs reads every distinct blob with one cat-file.
func (ix *Index) readBlobs(ctx context.Context, g git.Repo, blobOf map[string]string) error {
	var ids []string
	index := map[string]int{}
	for _, id := range blobOf {
		if _, ok := index[id]; id != "" && !ok {
			index[id] = len(ids)
			ids = append(ids, id)
		}
	}
	objs, err := g.ReadObjects(ctx, ids)
	if err != nil {
		return err
	}
	ix.blobs = make(map[string][]byte, len(blobOf))
	for key, id := range blobOf {
		var data []byte
		if id != "" {
			data = objs[index[id]]
		}
		if path, ok := strings.CutPrefix(key, "HEAD:"); ok {
			ix.heads[path] = data
			continue
		}
		ix.blobs[key] = data
	}
	return nil
}

// LockChanges is history.LockChanges for a lock file of the indexed
// directory, answered from the index.
func (ix *Index) LockChanges(ctx context.Context, configFile, lockPath string) ([]Change, *lockfile.Lock, error) {
	rel, err := git.RepoPath(ix.repo, lockPath)
	if err != nil || ix.merges || filepath.ToSlash(filepath.Dir(rel)) != ix.lockRel {
		return LockChanges(ctx, configFile, lockPath)
	}
	head := ix.heads[rel]
	if head == nil {
		return nil, nil, ErrNoLock
	}
	headLock, err := lockfile.ParseNamed(rel+"@HEAD", head)
	if err != nil {
		return nil, nil, err
	}
	commits := ix.commits[rel]
	blobs := make([][]byte, len(commits))
	for i, c := range commits {
		blobs[i] = ix.blobs[c.Hash+":"+rel]
	}
	changes, err := changesOf(rel, commits, blobs)
	if err != nil {
		return nil, nil, err
	}
	if len(changes) == 0 && ix.shallow {
		return nil, nil, fmt.Errorf("lock file %s has no git history; a full clone is required", rel)
	}
	return changes, headLock, nil
}
