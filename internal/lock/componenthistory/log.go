package componenthistory

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/azlforge/azldev/internal/foundation/git"
	"github.com/azlforge/azldev/internal/lock/lockfile"
)

// logCommit is a commit of the project log with the files it changed.
type logCommit struct {
	Commit
	changes []change
}

// change is a file a commit changed and its new blob ("" when deleted).
type change struct{ path, blob string }

// fileRef is file f of profile p.
type fileRef struct{ p, f int }

// index maps repository paths to the components they belong to.
type index struct {
	lockDir  string
	profiles []profile
	byPath   map[string][]fileRef  // repository path of a configuration file → its users
	byLock   map[string]int        // repository path of a lock file → its profile
	versions map[int][]lockVersion // profile → the commits touching its lock, newest first
}

// lockVersion is a lock file as a commit left it.
type lockVersion struct {
	commit int    // index in the log
	blob   string // "" when the commit deleted it
}

// newIndex indexes the profiles' files (those inside repo) and lock files.
func newIndex(repo, lockDir string, profiles []profile) *index {
	idx := &index{lockDir: lockDir, profiles: profiles, byPath: map[string][]fileRef{}, byLock: map[string]int{}, versions: map[int][]lockVersion{}}
	for p, prof := range profiles {
		for f, abs := range prof.paths {
			if rel, err := git.RepoPath(repo, abs); err == nil {
				idx.byPath[rel] = append(idx.byPath[rel], fileRef{p, f})
			}
		}
		idx.byLock[path.Join(lockDir, prof.name+lockfile.Ext)] = p
	}
	return idx
}

// pathspecs are the paths the log is limited to: every configuration file
// and the lock directory.
func (idx *index) pathspecs() []string {
	return append(slices.Sorted(maps.Keys(idx.byPath)), idx.lockDir)
}

// assign files each commit under the components whose configuration files
// it touched, and notes which commits touched their locks.
func (idx *index) assign(commits []logCommit) []Entry {
	entries := make([]Entry, len(idx.profiles))
	for i, p := range idx.profiles {
		entries[i] = Entry{Component: p.name, ConfigFiles: nonNil(p.files), Customizations: nonNil(p.items),
			ConfigCommits: []*Commit{}, FingerprintChanges: []Commit{}}
	}
	a := assigner{idx: idx, last: make([]int, len(idx.profiles)), touched: make([][]int, len(idx.profiles))}
	for ci, c := range commits {
		a.commit(ci, c, entries)
	}
	return entries
}

// nonNil returns s, or an empty slice for nil (printed as [] in JSON).
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// assigner files commits under components, reusing its buffers.
type assigner struct {
	idx     *index
	last    []int   // per profile, 1 + the last commit that touched its files
	touched [][]int // per profile, the files that commit touched
	key     []byte
}

// commit files commit ci under the components it touched. Components whose
// touched files are the same (thousands, through a shared file) get one
// *Commit.
func (a *assigner) commit(ci int, c logCommit, entries []Entry) {
	var profs []int // touched by this commit, in order
	for _, ch := range c.changes {
		for _, ref := range a.idx.byPath[ch.path] {
			if a.last[ref.p] != ci+1 {
				a.last[ref.p], a.touched[ref.p] = ci+1, a.touched[ref.p][:0]
				profs = append(profs, ref.p)
			}
			a.touched[ref.p] = append(a.touched[ref.p], ref.f)
		}
		if prof, ok := a.idx.byLock[ch.path]; ok {
			a.idx.versions[prof] = append(a.idx.versions[prof], lockVersion{ci, ch.blob})
		}
	}
	alike := map[string]*Commit{}
	for _, prof := range profs {
		files, touched := a.idx.profiles[prof].files, a.touched[prof]
		slices.Sort(touched)
		a.key = a.key[:0]
		for _, f := range touched {
			a.key = append(append(append(a.key, files[f].Path...), 0), strconv.FormatBool(files[f].Shared)...)
		}
		cc, ok := alike[string(a.key)]
		if !ok {
			cc = configCommit(c.Commit, files, touched)
			alike[string(a.key)] = cc
		}
		entries[prof].ConfigCommits = append(entries[prof].ConfigCommits, cc)
	}
}

// configCommit is c as a commit touching the given files of a component.
func configCommit(c Commit, files []File, touched []int) *Commit {
	c.Shared = true
	for _, f := range touched {
		c.Files = append(c.Files, files[f].Path)
		c.Shared = c.Shared && files[f].Shared
	}
	return &c
}

// readLog runs one `git log` over the pathspecs, newest commit first.
func readLog(ctx context.Context, g git.Repo, pathspecs []string) ([]logCommit, error) {
	args := append([]string{"--literal-pathspecs", "log", "--no-renames", "--raw", "--no-abbrev", "-z",
		"--format=%x1e%H%x00%an%x00%ae%x00%at%x00%s", "--"}, pathspecs...)
	out, err := g.Run(ctx, args...)
	if err != nil {
		return nil, err
	}
	return parseLog(out)
}

// parseLog splits the records of readLog's output: the header fields, then
// a raw diff line (":mode mode blob blob status") and a path per changed file.
func parseLog(out []byte) ([]logCommit, error) {
	var commits []logCommit
	for _, rec := range bytes.Split(out, []byte{0x1e}) {
		if len(rec) == 0 {
			continue
		}
		f := bytes.Split(rec, []byte{0})
		if len(f) < 5 {
			return nil, fmt.Errorf("git log: unexpected record %q", rec)
		}
		secs, err := strconv.ParseInt(string(f[3]), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("git log: bad author time %q", f[3])
		}
		c := logCommit{Commit: Commit{Hash: string(f[0]), Author: string(f[1]), Email: string(f[2]),
			Date: time.Unix(secs, 0).UTC().Format(time.RFC3339), Subject: string(f[4])}}
		for i := 5; i+1 < len(f); i += 2 {
			raw := strings.Fields(string(f[i]))
			if len(raw) != 5 {
				return nil, fmt.Errorf("git log: unexpected change %q", f[i])
			}
			blob := raw[3]
			if strings.Trim(blob, "0") == "" {
				blob = ""
			}
			c.changes = append(c.changes, change{path: string(f[i+1]), blob: blob})
		}
		commits = append(commits, c)
	}
	return commits, nil
}

// readFingerprints reads every version of the components' locks (each
// distinct blob once, with one `git cat-file --batch`) and records, newest
// first, the commits that changed each one's input fingerprint.
func readFingerprints(ctx context.Context, g git.Repo, idx *index, commits []logCommit, entries []Entry) error {
	fps, err := readLocks(ctx, g, idx)
	if err != nil {
		return err
	}
	for prof, vs := range idx.versions {
		locks := make([]*lockfile.Lock, len(vs)) // oldest first
		for i, v := range vs {
			locks[len(vs)-1-i] = fps[v.blob]
		}
		for _, i := range slices.Backward(lockfile.FingerprintChanges(locks)) {
			c := commits[vs[len(vs)-1-i].commit].Commit
			c.Fingerprint, c.UpstreamCommit = locks[i].InputFingerprint, locks[i].UpstreamCommit
			entries[prof].FingerprintChanges = append(entries[prof].FingerprintChanges, c)
		}
	}
	return nil
}

// readLocks parses every lock blob of the index: blob id → lock.
func readLocks(ctx context.Context, g git.Repo, idx *index) (map[string]*lockfile.Lock, error) {
	var ids, labels []string
	seen := map[string]bool{"": true}
	for prof, vs := range idx.versions {
		for _, v := range vs {
			if !seen[v.blob] {
				seen[v.blob] = true
				ids = append(ids, v.blob)
				labels = append(labels, path.Join(idx.lockDir, idx.profiles[prof].name+lockfile.Ext)+"@"+v.blob[:12])
			}
		}
	}
	blobs, err := g.ReadObjects(ctx, ids)
	if err != nil {
		return nil, err
	}
	locks := make(map[string]*lockfile.Lock, len(ids))
	for i, data := range blobs {
		if data == nil {
			return nil, fmt.Errorf("git cat-file: %s is missing", labels[i])
		}
		if locks[ids[i]], err = lockfile.ParseNamed(labels[i], data); err != nil {
			return nil, err
		}
	}
	return locks, nil
}
