package componenthistory

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"path"
	"slices"
	"strconv"
	"time"

	"github.com/azlforge/azldev/internal/foundation/git"
	"github.com/azlforge/azldev/internal/lock/lockfile"
)

// logCommit is a commit of the project log with the paths it touched.
type logCommit struct {
	Commit
	paths []string
}

// fileRef is file f of profile p.
type fileRef struct{ p, f int }

// index maps repository paths to the components they belong to.
type index struct {
	lockDir  string
	profiles []profile
	byPath   map[string][]fileRef // repository path of a configuration file → its users
	byLock   map[string]int       // repository path of a lock file → its profile
	versions map[int][]int        // profile → indexes of the commits touching its lock, newest first
}

// newIndex indexes the profiles' files (those inside repo) and lock files.
func newIndex(repo, lockDir string, profiles []profile) *index {
	idx := &index{lockDir: lockDir, profiles: profiles, byPath: map[string][]fileRef{}, byLock: map[string]int{}, versions: map[int][]int{}}
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
		entries[i] = Entry{Component: p.name, ConfigFiles: p.files, Customizations: p.items,
			ConfigCommits: []Commit{}, FingerprintChanges: []Commit{}}
		if entries[i].Customizations == nil {
			entries[i].Customizations = []Item{}
		}
		if entries[i].ConfigFiles == nil {
			entries[i].ConfigFiles = []File{}
		}
	}
	for ci, c := range commits {
		touched := map[int][]int{}
		for _, p := range c.paths {
			for _, ref := range idx.byPath[p] {
				touched[ref.p] = append(touched[ref.p], ref.f)
			}
			if prof, ok := idx.byLock[p]; ok {
				idx.versions[prof] = append(idx.versions[prof], ci)
			}
		}
		for prof, files := range touched {
			entries[prof].ConfigCommits = append(entries[prof].ConfigCommits, configCommit(c.Commit, idx.profiles[prof].files, files))
		}
	}
	return entries
}

// configCommit is c as a commit touching the given files of a component.
func configCommit(c Commit, files []File, touched []int) Commit {
	c.Shared = true
	for _, f := range touched {
		c.Files = append(c.Files, files[f].Path)
		c.Shared = c.Shared && files[f].Shared
	}
	return c
}

// readLog runs one `git log` over the pathspecs, newest commit first.
func readLog(ctx context.Context, g git.Repo, pathspecs []string) ([]logCommit, error) {
	args := append([]string{"--literal-pathspecs", "log", "--no-renames", "--name-only", "-z",
		"--format=%x1e%H%x00%an%x00%ae%x00%at%x00%s", "--"}, pathspecs...)
	out, err := g.Run(ctx, args...)
	if err != nil {
		return nil, err
	}
	return parseLog(out)
}

// parseLog splits the records of readLog's output.
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
		for _, p := range f[5:] {
			if p = bytes.TrimLeft(p, "\n"); len(p) > 0 {
				c.paths = append(c.paths, string(p))
			}
		}
		commits = append(commits, c)
	}
	return commits, nil
}

// readFingerprints reads every version of the components' locks with one
// `git cat-file --batch` and records, newest first, the commits that changed
// each one's input fingerprint.
func readFingerprints(ctx context.Context, g git.Repo, idx *index, commits []logCommit, entries []Entry) error {
	type version struct{ prof, commit int }
	var versions []version
	var names []string
	for prof, cs := range idx.versions {
		lock := path.Join(idx.lockDir, idx.profiles[prof].name+lockfile.Ext)
		for _, ci := range cs {
			versions = append(versions, version{prof, ci})
			names = append(names, commits[ci].Hash+":"+lock)
		}
	}
	blobs, err := g.ReadObjects(ctx, names)
	if err != nil {
		return err
	}
	locks := map[int][]*lockfile.Lock{} // profile → versions, newest first
	for i, v := range versions {
		var l *lockfile.Lock
		if blobs[i] != nil {
			if l, err = lockfile.ParseNamed(names[i], blobs[i]); err != nil {
				return err
			}
		}
		locks[v.prof] = append(locks[v.prof], l)
	}
	for prof, ls := range locks {
		slices.Reverse(ls)
		cs := idx.versions[prof]
		for _, i := range slices.Backward(lockfile.FingerprintChanges(ls)) {
			c := commits[cs[len(cs)-1-i]].Commit
			c.Fingerprint, c.UpstreamCommit = ls[i].InputFingerprint, ls[i].UpstreamCommit
			entries[prof].FingerprintChanges = append(entries[prof].FingerprintChanges, c)
		}
	}
	return nil
}
