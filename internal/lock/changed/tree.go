package changed

import (
	"bytes"
	"context"
	"fmt"
	"path"
	"path/filepath"
	"strings"

	"github.com/azlforge/azldev/internal/config"
	"github.com/azlforge/azldev/internal/foundation/git"
	"github.com/azlforge/azldev/internal/lock/lockfile"
)

// sourcesFile is the name of the lookaside manifest in a rendered spec directory.
const sourcesFile = "sources"

// snapshot is what one revision's tree holds for the comparison.
type snapshot struct {
	commit  string            // its commit id
	locks   map[string]string // component → blob id of <lock-dir>/<component>.lock
	sources map[string]string // rendered spec dir relative to the rendered dir → blob id of its sources file
}

// readSnapshot lists the lock dir and the rendered dir of commit with one
// `git ls-tree` process.
func readSnapshot(ctx context.Context, g git.Repo, commit, lockDir, renderedDir string) (*snapshot, error) {
	args := []string{"ls-tree", "-r", "-z", "--full-tree", commit, "--", lockDir}
	if renderedDir != "" {
		args = append(args, renderedDir)
	}
	out, err := g.Run(ctx, args...)
	if err != nil {
		return nil, err
	}
	s := &snapshot{commit: commit, locks: map[string]string{}, sources: map[string]string{}}
	return s, s.parseTree(out, lockDir, renderedDir)
}

// parseTree records the lock and sources blobs of `ls-tree -r -z` output.
func (s *snapshot) parseTree(out []byte, lockDir, renderedDir string) error {
	for len(out) > 0 {
		entry, rest, _ := bytes.Cut(out, []byte{0})
		out = rest
		meta, p, ok := strings.Cut(string(entry), "\t")
		fields := strings.Fields(meta)
		if !ok || len(fields) != 3 {
			return fmt.Errorf("git ls-tree: unexpected entry %q", entry)
		}
		if fields[1] == "blob" {
			s.add(p, fields[2], lockDir, renderedDir)
		}
	}
	return nil
}

// add files blob id oid at path p if it is a lock or a rendered sources file.
func (s *snapshot) add(p, oid, lockDir, renderedDir string) {
	if rel, ok := under(lockDir, p); ok && !strings.Contains(rel, "/") {
		if name, ok := strings.CutSuffix(rel, lockfile.Ext); ok && name != "" && !strings.HasPrefix(rel, ".") {
			s.locks[name] = oid
		}
	}
	if renderedDir == "" {
		return
	}
	if rel, ok := under(renderedDir, p); ok && path.Base(rel) == sourcesFile && strings.Count(rel, "/") == 2 {
		s.sources[path.Dir(rel)] = oid
	}
}

// under returns p relative to dir when p lies inside dir.
func under(dir, p string) (string, bool) {
	if dir == "." {
		return p, true
	}
	return strings.CutPrefix(p, dir+"/")
}

// lockNames lists the components that have a lock in the snapshot.
func (s *snapshot) lockNames() []string {
	names := make([]string, 0, len(s.locks))
	for n := range s.locks {
		names = append(names, n)
	}
	return names
}

// sides returns a lookup of each component's state, fingerprints taken from fps (by lock blob id).
func (s *snapshot) sides(fps map[string]string) func(string) side {
	return func(name string) side {
		oid := s.locks[name]
		return side{lock: oid, fingerprint: fps[oid], sources: s.sources[renderedKey(name)]}
	}
}

// renderedKey is a component's rendered spec directory relative to the rendered dir.
func renderedKey(name string) string {
	return filepath.ToSlash(config.RenderedSpecDir("", name))
}

// readFingerprints reads, with one `git cat-file --batch`, the locks of the
// components whose lock blob differs between a and b, and returns their
// input fingerprints by blob id. Identical blobs need no reading.
func readFingerprints(ctx context.Context, g git.Repo, lockDir string, names []string, a, b *snapshot) (map[string]string, error) {
	var oids, labels []string
	seen := map[string]bool{}
	for _, n := range names {
		oa, ob := a.locks[n], b.locks[n]
		if oa == "" || ob == "" || oa == ob {
			continue
		}
		for _, x := range []struct{ oid, commit string }{{oa, a.commit}, {ob, b.commit}} {
			if !seen[x.oid] {
				seen[x.oid] = true
				oids = append(oids, x.oid)
				labels = append(labels, x.commit[:min(12, len(x.commit))]+":"+path.Join(lockDir, n+lockfile.Ext))
			}
		}
	}
	blobs, err := g.ReadObjects(ctx, oids)
	if err != nil {
		return nil, err
	}
	fps := make(map[string]string, len(oids))
	for i, data := range blobs {
		if data == nil {
			return nil, fmt.Errorf("git cat-file: %s (%s) is missing", labels[i], oids[i])
		}
		l, err := lockfile.ParseNamed(labels[i], data)
		if err != nil {
			return nil, err
		}
		fps[oids[i]] = l.InputFingerprint
	}
	return fps, nil
}
