package cache

import (
	"bytes"
	"crypto/sha256"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/azlforge/azldev/internal/config"
)

// The freshness manifest of a cached configuration: what the load read and
// which directories its include globs could have matched files in, as they
// were before they were read. A cached configuration is used only when every
// recorded path still stats the same.
//
// Timestamps have a granularity (a clock tick, or a second on some file
// systems), so a file changed twice within one tick, around the moment it was
// read, keeps its size and time. Like git's "racily clean" entries, anything
// whose time is within racyWindow of the load is therefore marked racy: a
// racy file is checked by the hash of its content, a glob over a racy
// directory is expanded again. Once a check passes well after that time, the
// entry is settled and the cache is rewritten without the mark.

// racyWindow bounds timestamp granularity plus clock lag (a variable for tests).
var racyWindow = 2 * time.Second

// maxWalkedDirs bounds the directories recorded for include globs; a glob
// that could reach more is not worth caching.
const maxWalkedDirs = 20000

// Kinds of stamp.
const (
	stampAbsent uint8 = iota // stat failed
	stampFile
	stampDir
	stampOther
)

// stamp is the identity of a path at one moment.
type stamp struct {
	Path  string
	Kind  uint8
	Size  int64
	Mtime int64 // ns
	Ctime int64 // ns (0 where unknown)
	Ino   uint64
	Dev   uint64
	Mode  uint32
	Sum   string // sha256 of the content that was loaded, for racy files
	Racy  bool
}

func takeStamp(path string) stamp {
	fi, err := os.Stat(path)
	if err != nil {
		return stamp{Path: path, Kind: stampAbsent}
	}
	s := stamp{Path: path, Size: fi.Size(), Mtime: fi.ModTime().UnixNano(), Mode: uint32(fi.Mode())}
	s.Ino, s.Dev, s.Ctime = statIdentity(fi)
	switch {
	case fi.Mode().IsRegular():
		s.Kind = stampFile
	case fi.IsDir():
		s.Kind = stampDir
	default:
		s.Kind = stampOther
	}
	return s
}

// sameState compares what stat reports (not the racy bookkeeping).
func (s stamp) sameState(o stamp) bool {
	return s.Path == o.Path && s.Kind == o.Kind && s.Size == o.Size && s.Mtime == o.Mtime &&
		s.Ctime == o.Ctime && s.Ino == o.Ino && s.Dev == o.Dev && s.Mode == o.Mode
}

// recent reports whether the stamp's times are too close to t to be trusted alone.
func (s stamp) recent(t time.Time) bool {
	if s.Kind == stampAbsent {
		return false
	}
	limit := t.Add(-racyWindow).UnixNano()
	return s.Mtime >= limit || s.Ctime >= limit
}

// globCheck is an include glob over a racy directory: it is expanded again on use.
type globCheck struct {
	Dir, Pattern string
	Matches      []string
	Dirs         []string // the directories walked for it
}

type manifest struct {
	Stamps []stamp
	Globs  []globCheck
}

// fresh reports whether everything recorded is unchanged. settled reports
// that racy entries could now be trusted by their stamps alone (the manifest
// is then updated in place).
func (m *manifest) fresh(now time.Time) (ok, settled bool) {
	for i := range m.Stamps {
		s := &m.Stamps[i]
		cur := takeStamp(s.Path)
		if !cur.sameState(*s) {
			return false, false
		}
		if s.Racy {
			if s.Sum != "" {
				data, err := os.ReadFile(s.Path)
				if err != nil || contentSum(data) != s.Sum {
					return false, false
				}
			}
			if !s.recent(now) {
				s.Racy, s.Sum = false, ""
				settled = true
			}
		}
	}
	racy := map[string]bool{}
	for _, s := range m.Stamps {
		if s.Racy {
			racy[s.Path] = true
		}
	}
	keep := m.Globs[:0]
	for _, g := range m.Globs {
		matches, err := config.Glob(g.Dir, g.Pattern)
		if err != nil || !slices.Equal(matches, g.Matches) {
			return false, false
		}
		if slices.ContainsFunc(g.Dirs, func(d string) bool { return racy[d] }) {
			keep = append(keep, g)
		} else {
			settled = true
		}
	}
	m.Globs = keep
	return true, settled
}

func contentSum(data []byte) string {
	sum := sha256.Sum256(data)
	return string(sum[:])
}

// recorder collects the manifest of one full load. Anything it cannot vouch
// for (a file that changed while being read, an unreadable directory) makes
// it bad, and then no cache is written.
type recorder struct {
	start  time.Time
	mu     sync.Mutex
	stamps []stamp
	at     map[string]int    // path → index in stamps
	data   map[string][]byte // file → the content that was loaded
	globs  []globCheck
	walked int
	bad    bool
}

func newRecorder() *recorder {
	return &recorder{start: time.Now(), at: map[string]int{}, data: map[string][]byte{}}
}

func (r *recorder) markBad() {
	r.mu.Lock()
	r.bad = true
	r.mu.Unlock()
}

// add records s; a path recorded twice must have kept its state.
func (r *recorder) add(s stamp) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if i, ok := r.at[s.Path]; ok {
		if !r.stamps[i].sameState(s) {
			r.bad = true
		}
		return
	}
	r.at[s.Path] = len(r.stamps)
	r.stamps = append(r.stamps, s)
}

var _ config.Observer = (*recorder)(nil)

// Probe records the existence (or not) of a path.
func (r *recorder) Probe(path string) { r.add(takeStamp(path)) }

// ReadFile reads a file after stamping it, so that a later change shows in its stamp.
func (r *recorder) ReadFile(path string) ([]byte, error) {
	path = filepath.Clean(path)
	s := takeStamp(path)
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	r.add(s)
	r.mu.Lock()
	defer r.mu.Unlock()
	if prev, ok := r.data[path]; (ok && !bytes.Equal(prev, data)) || s.Kind != stampFile || s.Size != int64(len(data)) {
		r.bad = true
	}
	r.data[path] = data
	return data, nil
}

// Glob expands an include pattern after stamping every directory it could match files in.
func (r *recorder) Glob(dir, pattern string) ([]string, error) {
	var dirs []string
	if base, depth, ok := globBase(config.Abs(dir, pattern)); ok {
		dirs = r.walk(base, depth, map[[2]uint64]bool{}, nil)
	}
	matches, err := config.Glob(dir, pattern)
	r.mu.Lock()
	r.globs = append(r.globs, globCheck{Dir: dir, Pattern: pattern, Matches: matches, Dirs: dirs})
	r.mu.Unlock()
	return matches, err
}

// globBase splits an absolute pattern into the directory before its first
// wildcard and how deep below it matches can lie (-1: unlimited). ok is
// false for a plain path, which is stamped when it is read.
func globBase(pattern string) (base string, depth int, ok bool) {
	parts := strings.Split(pattern, "/")
	i := slices.IndexFunc(parts, func(p string) bool { return strings.ContainsAny(p, "*?[{\\") })
	if i < 0 {
		return "", 0, false
	}
	base = strings.Join(parts[:i], "/")
	if base == "" {
		base = "/"
	}
	rest := parts[i:]
	depth = len(rest) - 1
	if slices.ContainsFunc(rest, func(p string) bool { return strings.Contains(p, "**") || strings.Contains(p, "{") }) {
		depth = -1
	}
	return base, depth, true
}

// walk stamps dir and, depth permitting, its subdirectories (following
// symbolic links, as globbing does), each before listing it.
func (r *recorder) walk(dir string, depth int, visited map[[2]uint64]bool, out []string) []string {
	s := takeStamp(dir)
	r.add(s)
	out = append(out, dir)
	r.mu.Lock()
	r.walked++
	tooMany := r.walked > maxWalkedDirs
	r.mu.Unlock()
	if tooMany {
		r.markBad()
		return out
	}
	if s.Kind != stampDir || depth == 0 {
		return out
	}
	if s.Ino != 0 || s.Dev != 0 {
		id := [2]uint64{s.Dev, s.Ino}
		if visited[id] {
			return out
		}
		visited[id] = true
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		r.markBad()
		return out
	}
	for _, e := range entries {
		sub := dir + "/" + e.Name()
		if dir == "/" {
			sub = "/" + e.Name()
		}
		isDir := e.IsDir()
		if e.Type()&os.ModeSymlink != 0 {
			if fi, err := os.Stat(sub); err == nil && fi.IsDir() {
				isDir = true
			}
		}
		if isDir {
			out = r.walk(sub, depth-1, visited, out)
		}
	}
	return out
}

// manifest returns what was recorded, with racy entries marked.
func (r *recorder) manifest() manifest {
	m := manifest{Stamps: slices.Clone(r.stamps)}
	racy := map[string]bool{}
	for i := range m.Stamps {
		s := &m.Stamps[i]
		if !s.recent(r.start) {
			continue
		}
		s.Racy = true
		racy[s.Path] = true
		if data, ok := r.data[s.Path]; ok {
			s.Sum = contentSum(data) // only loaded content matters; probes need only their stamp
		}
	}
	for _, g := range r.globs {
		if slices.ContainsFunc(g.Dirs, func(d string) bool { return racy[d] }) {
			m.Globs = append(m.Globs, g)
		}
	}
	return m
}
