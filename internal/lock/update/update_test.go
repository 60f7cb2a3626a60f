package update

import (
	"context"
	"crypto/sha1"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/azlforge/azldev/internal/config"
	"github.com/azlforge/azldev/internal/lock/fingerprint"
	"github.com/azlforge/azldev/internal/lock/lockfile"
	"github.com/azlforge/azldev/internal/resolve"
)

// fakeResolver returns commits per component and counts its calls.
type fakeResolver struct {
	mu      sync.Mutex
	commits map[string]string // component → commit (default: defaultCommit)
	fail    map[string]error
	calls   map[string]int
	gone    map[string]bool // commits that CommitExists does not find
	checked []string        // commits CommitExists was asked about
	active  atomic.Int32
	maxPar  atomic.Int32
}

func newResolver() *fakeResolver {
	return &fakeResolver{commits: map[string]string{}, fail: map[string]error{}, calls: map[string]int{}, gone: map[string]bool{}}
}

func (f *fakeResolver) ResolveCommit(_ context.Context, c *resolve.Component) (string, error) {
	n := f.active.Add(1)
	defer f.active.Add(-1)
	for {
		m := f.maxPar.Load()
		if n <= m || f.maxPar.CompareAndSwap(m, n) {
			break
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls[c.Name]++
	if err := f.fail[c.Name]; err != nil {
		return "", err
	}
	if commit, ok := f.commits[c.Name]; ok {
		return commit, nil
	}
	return defaultCommit(c.Name), nil
}

func (f *fakeResolver) CommitExists(_ context.Context, _ *resolve.Component, commit string) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.checked = append(f.checked, commit)
	return !f.gone[commit], nil
}

// defaultCommit is the commit the fake resolves for a component: a hash of its name.
func defaultCommit(name string) string { return fmt.Sprintf("%x", sha1.Sum([]byte(name))) }

// Commits the tests move components to.
var (
	moved = strings.Repeat("d", 40)
	again = strings.Repeat("e", 40)
)

func (f *fakeResolver) total() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range f.calls {
		n += c
	}
	return n
}

func (f *fakeResolver) reset() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = map[string]int{}
}

// project is a test project: its configuration and component definitions.
type project struct {
	t     *testing.T
	root  string
	cfg   *config.Config
	comps map[string]*resolve.Component
}

const snapshot = "2026-02-24T00:00:00-08:00"

func newProject(t *testing.T) *project {
	root := t.TempDir()
	cfg := &config.Config{File: config.File{
		Project: config.ProjectInfo{
			LockDir:       filepath.Join(root, "locks"),
			DefaultDistro: config.DistroReference{Name: "fedora", Version: "43"},
		},
		Distros: map[string]*config.DistroDefinition{"fedora": {
			DefaultVersion:   "43",
			DistGitBaseURI:   "https://src.example/rpms/$pkg.git",
			LookasideBaseURI: "https://src.example/repo/pkgs/$pkg/$filename/$hashtype/$hash/$filename",
			Versions:         map[string]*config.DistroVersionDefinition{"43": {ReleaseVer: "43", DistGitBranch: "f43"}},
		}},
	}, ProjectDir: root}
	return &project{t: t, root: root, cfg: cfg, comps: map[string]*resolve.Component{}}
}

// upstream adds an upstream component at a snapshot (and pin, when set).
func (p *project) upstream(name, snap, pin string) *resolve.Component {
	c := &resolve.Component{
		Name:       name,
		ConfigFile: filepath.Join(p.root, "comps", name+".comp.toml"),
		Config: config.ComponentConfig{
			Spec: config.SpecSource{
				Type:           config.SpecTypeUpstream,
				UpstreamDistro: config.DistroReference{Name: "fedora", Version: "43", Snapshot: snap},
				UpstreamCommit: pin,
			},
			Release: config.ReleaseConfig{Calculation: "auto"},
		},
	}
	p.comps[name] = c
	return c
}

// local adds a local component whose spec directory holds files.
func (p *project) local(name string, files map[string]string) *resolve.Component {
	dir := filepath.Join(p.root, "specs", name)
	for n, content := range files {
		path := filepath.Join(dir, n)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			p.t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			p.t.Fatal(err)
		}
	}
	c := &resolve.Component{
		Name:       name,
		ConfigFile: filepath.Join(dir, name+".comp.toml"),
		Config: config.ComponentConfig{
			Spec:    config.SpecSource{Type: config.SpecTypeLocal, Path: filepath.Join(dir, name+".spec")},
			Release: config.ReleaseConfig{Calculation: "auto"},
		},
	}
	p.comps[name] = c
	return c
}

func (p *project) all() []*resolve.Component {
	var names []string
	for n := range p.comps {
		names = append(names, n)
	}
	sort.Strings(names)
	var out []*resolve.Component
	for _, n := range names {
		out = append(out, p.comps[n])
	}
	return out
}

func (p *project) names() []string {
	var names []string
	for _, c := range p.all() {
		names = append(names, c.Name)
	}
	return names
}

func (p *project) lockPath(name string) string { return lockfile.Path(p.cfg.Project.LockDir, name) }

func (p *project) readLock(name string) *lockfile.Lock {
	p.t.Helper()
	l, err := lockfile.Read(p.lockPath(name))
	if err != nil {
		p.t.Fatal(err)
	}
	return l
}

func (p *project) writeLock(name string, l *lockfile.Lock) {
	p.t.Helper()
	if err := lockfile.Write(p.lockPath(name), l); err != nil {
		p.t.Fatal(err)
	}
}

// mark appends a comment to a lock file: it survives only if the file is not rewritten.
func (p *project) mark(name string) {
	p.t.Helper()
	f, err := os.OpenFile(p.lockPath(name), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		p.t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString("# untouched\n"); err != nil {
		p.t.Fatal(err)
	}
}

func (p *project) rewritten(name string) bool {
	p.t.Helper()
	data, err := os.ReadFile(p.lockPath(name))
	if err != nil {
		p.t.Fatal(err)
	}
	return !strings.HasSuffix(string(data), "# untouched\n")
}

// snapshotFiles returns every file under the lock directory with its content.
func (p *project) snapshotFiles() map[string]string {
	p.t.Helper()
	out := map[string]string{}
	_ = filepath.WalkDir(p.cfg.Project.LockDir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			data, _ := os.ReadFile(path)
			out[path] = string(data)
		}
		return nil
	})
	return out
}

// run runs an update of the given components (all when none).
func (p *project) run(r CommitResolver, opts Options, names ...string) (*Result, error) {
	comps := p.all()
	if len(names) > 0 {
		comps = nil
		for _, n := range names {
			comps = append(comps, p.comps[n])
		}
	}
	u := &Updater{Config: p.cfg, Commits: r, Opts: opts}
	return u.Run(context.Background(), comps, p.names())
}

func (p *project) mustRun(r CommitResolver, opts Options, names ...string) *Result {
	p.t.Helper()
	res, err := p.run(r, opts, names...)
	if err != nil {
		p.t.Fatal(err)
	}
	return res
}

// wantFingerprint computes what the lock's fingerprint should be.
func (p *project) wantFingerprint(c *resolve.Component, identity string, bump int) string {
	p.t.Helper()
	fp, err := fingerprint.InputFingerprint(fingerprint.Inputs{
		Config: &c.Config, SourceIdentity: identity, ManualBump: bump,
		ReleaseVer: resolve.SourceDistro(p.cfg, &c.Config).ReleaseVer(),
	})
	if err != nil {
		p.t.Fatal(err)
	}
	return fp
}

func (p *project) wantResolutionHash(c *resolve.Component) string {
	return fingerprint.ResolutionInputHash(fingerprint.ResolutionInputsOf(p.cfg, &c.Config))
}

func TestFirstUpdate(t *testing.T) {
	p := newProject(t)
	hello := p.upstream("hello", snapshot, "")
	loc := p.local("mine", map[string]string{"mine.spec": "Name: mine\n", "mine.comp.toml": "", "patches/a.patch": "x"})
	r := newResolver()
	r.commits["hello"] = strings.Repeat("1", 40)
	progress := 0
	u := &Updater{Config: p.cfg, Commits: r, Workers: 1, Progress: func() { progress++ }}
	res, err := u.Run(context.Background(), p.all(), p.names())
	if err != nil {
		t.Fatal(err)
	}
	if r.calls["hello"] != 1 || r.calls["mine"] != 0 {
		t.Errorf("resolver calls %v", r.calls)
	}
	if progress != 2 || res.Total != 2 {
		t.Errorf("progress %d, total %d", progress, res.Total)
	}
	wantRows := []Row{{Component: "hello", UpstreamCommit: strings.Repeat("1", 40), Changed: true}, {Component: "mine", Changed: true}}
	if !reflect.DeepEqual(res.Rows, wantRows) {
		t.Errorf("rows %+v, want %+v", res.Rows, wantRows)
	}
	if !slices.Equal(res.Stale, []string{"hello", "mine"}) {
		t.Errorf("stale %v", res.Stale)
	}
	want := &lockfile.Lock{
		Version: 1, ImportCommit: strings.Repeat("1", 40), UpstreamCommit: strings.Repeat("1", 40),
		InputFingerprint:    p.wantFingerprint(hello, strings.Repeat("1", 40), 0),
		ResolutionInputHash: p.wantResolutionHash(hello),
	}
	if got := p.readLock("hello"); *got != *want {
		t.Errorf("hello lock %+v, want %+v", got, want)
	}
	id, err := fingerprint.LocalSourceIdentity(filepath.Dir(loc.Config.Spec.Path))
	if err != nil {
		t.Fatal(err)
	}
	wantLocal := "# Managed by azldev component update. Do not edit manually.\nversion = 1\ninput-fingerprint = '" + p.wantFingerprint(loc, id, 0) + "'\n"
	if data, _ := os.ReadFile(p.lockPath("mine")); string(data) != wantLocal {
		t.Errorf("local lock:\n%s\nwant\n%s", data, wantLocal)
	}
}

// TestReusedCommitMustExist (finding 14): when a lock is rewritten around
// its locked commit (inputs changed, resolution not), the commit must still
// exist upstream; fresh locks and pins are not checked (no network, pins
// verbatim).
func TestReusedCommitMustExist(t *testing.T) {
	addOverlay := func(c *resolve.Component) {
		c.Config.Overlays = append(c.Config.Overlays, config.ComponentOverlay{Type: "spec-add-tag", Tag: "BuildRequires", Value: "make"})
	}
	p := newProject(t)
	snap := p.upstream("snap", snapshot, "")
	pinned := p.upstream("pinned", "", "abc1234")
	r := newResolver()
	p.mustRun(r, Options{})
	r.gone[defaultCommit("snap")], r.gone["abc1234"] = true, true
	p.mustRun(r, Options{})
	if len(r.checked) != 0 {
		t.Fatalf("fresh locks were checked: %v", r.checked)
	}
	addOverlay(pinned)
	p.mustRun(r, Options{})
	if len(r.checked) != 0 {
		t.Fatalf("a pin was checked: %v", r.checked)
	}
	addOverlay(snap)
	p.mark("snap")
	_, err := p.run(r, Options{})
	if err == nil || !strings.Contains(err.Error(), "the locked upstream-commit "+defaultCommit("snap")+" does not exist upstream") {
		t.Fatalf("err = %v", err)
	}
	if p.rewritten("snap") {
		t.Fatal("the lock was rewritten around a missing commit")
	}
	delete(r.gone, defaultCommit("snap"))
	p.mustRun(r, Options{})
	if !p.rewritten("snap") {
		t.Fatal("the lock of an existing commit was not rewritten")
	}
}

// TestRunSweepsKilledLockWrites (finding 3): a temporary lock file a killed
// run left is removed by the next update, even when no lock changes.
func TestRunSweepsKilledLockWrites(t *testing.T) {
	p := newProject(t)
	p.upstream("hello", snapshot, "")
	r := newResolver()
	p.mustRun(r, Options{})
	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Fatal(err)
	}
	leftover := filepath.Join(p.cfg.Project.LockDir, fmt.Sprintf(".hello.lock.tmp-%d-1", dead.Process.Pid))
	if err := os.WriteFile(leftover, []byte("half"), 0o644); err != nil {
		t.Fatal(err)
	}
	p.mark("hello")
	p.mustRun(r, Options{})
	if p.rewritten("hello") {
		t.Fatal("the fresh lock was rewritten")
	}
	if _, err := os.Stat(leftover); !os.IsNotExist(err) {
		t.Fatalf("leftover still there: %v", err)
	}
}

// Freshness classification (7.4) on a second run, after a first run locked
// every component.
func TestFreshness(t *testing.T) {
	const c1, c2 = "1111111111111111111111111111111111111111", "2222222222222222222222222222222222222222"
	tests := []struct {
		name      string
		snap, pin string
		change    func(p *project, c *resolve.Component, r *fakeResolver) // between the runs
		opts      Options
		resolves  int    // resolver calls in the second run
		rewritten bool   // lock file written again
		row       bool   // reported as changed
		commit    string // upstream-commit after the second run
	}{
		{name: "fresh at a snapshot: skipped", snap: snapshot, commit: c1},
		{name: "fresh with a pin: skipped", pin: c1, commit: c1},
		{name: "fresh with a pin and a snapshot: skipped", snap: snapshot, pin: c1, commit: c1},
		{
			name:     "HEAD tracking is always re-resolved; same commit, nothing written",
			resolves: 1, commit: c1,
		},
		{
			name:     "HEAD tracking, branch moved",
			change:   func(_ *project, _ *resolve.Component, r *fakeResolver) { r.commits["hello"] = c2 },
			resolves: 1, rewritten: true, row: true, commit: c2,
		},
		{
			name: "snapshot changed, new commit",
			snap: snapshot,
			change: func(_ *project, c *resolve.Component, r *fakeResolver) {
				c.Config.Spec.UpstreamDistro.Snapshot = "2026-03-01T00:00:00Z"
				r.commits["hello"] = c2
			},
			resolves: 1, rewritten: true, row: true, commit: c2,
		},
		{
			name: "snapshot changed, same commit: resolution hash rewritten silently",
			snap: snapshot,
			change: func(_ *project, c *resolve.Component, _ *fakeResolver) {
				c.Config.Spec.UpstreamDistro.Snapshot = "2026-03-01T00:00:00Z"
			},
			resolves: 1, rewritten: true, commit: c1,
		},
		{
			name: "pin changed",
			pin:  c1,
			change: func(_ *project, c *resolve.Component, r *fakeResolver) {
				c.Config.Spec.UpstreamCommit = c2
				r.commits["hello"] = c2
			},
			resolves: 1, rewritten: true, row: true, commit: c2,
		},
		{
			name: "upstream-name changed",
			snap: snapshot,
			change: func(_ *project, c *resolve.Component, r *fakeResolver) {
				c.Config.Spec.UpstreamName = "hello2"
				r.commits["hello"] = c2
			},
			resolves: 1, rewritten: true, row: true, commit: c2,
		},
		{
			name: "dist-git branch of the distro changed",
			snap: snapshot,
			change: func(p *project, _ *resolve.Component, _ *fakeResolver) {
				p.cfg.Distros["fedora"].Versions["43"].DistGitBranch = "rawhide"
			},
			resolves: 1, rewritten: true, commit: c1,
		},
		{
			name: "fingerprint input changed: locked commit reused",
			snap: snapshot,
			change: func(_ *project, c *resolve.Component, r *fakeResolver) {
				c.Config.Overlays = append(c.Config.Overlays, config.ComponentOverlay{Type: "spec-add-tag", Tag: "BuildRequires", Value: "make"})
				r.commits["hello"] = c2 // would be a different commit if resolved
			},
			rewritten: true, row: true, commit: c1,
		},
		{
			name: "legacy lock without resolution hash",
			snap: snapshot,
			change: func(p *project, _ *resolve.Component, _ *fakeResolver) {
				l := p.readLock("hello")
				l.ResolutionInputHash = ""
				p.writeLock("hello", l)
				p.mark("hello")
			},
			resolves: 1, rewritten: true, commit: c1,
		},
		{
			name: "lock without upstream commit",
			snap: snapshot,
			change: func(p *project, _ *resolve.Component, _ *fakeResolver) {
				l := p.readLock("hello")
				l.UpstreamCommit = ""
				p.writeLock("hello", l)
				p.mark("hello")
			},
			resolves: 1, rewritten: true, row: true, commit: c1,
		},
		{
			name: "force recalculate",
			snap: snapshot, opts: Options{ForceRecalculate: true},
			change:   func(_ *project, _ *resolve.Component, r *fakeResolver) { r.commits["hello"] = c2 },
			resolves: 1, rewritten: true, row: true, commit: c2,
		},
		{
			name: "force recalculate, same commit: nothing written",
			snap: snapshot, opts: Options{ForceRecalculate: true},
			resolves: 1, commit: c1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newProject(t)
			c := p.upstream("hello", tt.snap, tt.pin)
			r := newResolver()
			r.commits["hello"] = c1
			p.mustRun(r, Options{})
			if r.total() != 1 {
				t.Fatalf("first run resolved %d times", r.total())
			}
			first := p.readLock("hello")
			p.mark("hello")
			r.reset()
			if tt.change != nil {
				tt.change(p, c, r)
			}
			res := p.mustRun(r, tt.opts)
			if got := r.total(); got != tt.resolves {
				t.Errorf("resolved %d times, want %d", got, tt.resolves)
			}
			if got := p.rewritten("hello"); got != tt.rewritten {
				t.Errorf("lock rewritten = %v, want %v", got, tt.rewritten)
			}
			if got := len(res.Rows) == 1 && res.Rows[0].Changed; got != tt.row || len(res.Rows) > 1 {
				t.Errorf("rows %+v, want changed = %v", res.Rows, tt.row)
			}
			l := p.readLock("hello")
			if l.UpstreamCommit != tt.commit {
				t.Errorf("upstream-commit %s, want %s", l.UpstreamCommit, tt.commit)
			}
			if l.ImportCommit != first.ImportCommit {
				t.Errorf("import-commit changed from %s to %s", first.ImportCommit, l.ImportCommit)
			}
			if want := p.wantFingerprint(c, tt.commit, 0); l.InputFingerprint != want {
				t.Errorf("fingerprint %s, want %s", l.InputFingerprint, want)
			}
			if want := p.wantResolutionHash(c); l.ResolutionInputHash != want {
				t.Errorf("resolution hash %s, want %s", l.ResolutionInputHash, want)
			}
			if tt.row && first.UpstreamCommit != tt.commit && res.Rows[0].PreviousCommit != first.UpstreamCommit {
				t.Errorf("previous commit %q, want %q", res.Rows[0].PreviousCommit, first.UpstreamCommit)
			}
			if tt.row && first.UpstreamCommit == tt.commit && res.Rows[0].PreviousCommit != "" {
				t.Errorf("previous commit %q for an unchanged commit", res.Rows[0].PreviousCommit)
			}
			// A third run with nothing changed is a no-op for pinned/snapshot components.
			if tt.snap != "" || tt.pin != "" {
				r.reset()
				p.mark("hello")
				res := p.mustRun(r, Options{})
				if r.total() != 0 || p.rewritten("hello") || len(res.Rows) != 0 {
					t.Errorf("not fresh after the update: %d resolutions, rows %+v", r.total(), res.Rows)
				}
			}
		})
	}
}

func TestBump(t *testing.T) {
	p := newProject(t)
	head := p.upstream("head", "", "") // HEAD tracking: would normally re-resolve
	snap := p.upstream("snap", snapshot, "")
	loc := p.local("mine", map[string]string{"mine.spec": "Name: mine\n"})
	p.upstream("other", snapshot, "")
	r := newResolver()
	p.mustRun(r, Options{})
	before := map[string]*lockfile.Lock{}
	for _, n := range p.names() {
		before[n] = p.readLock(n)
	}
	r.reset()
	p.writeLock("orphan", before["head"])
	r.commits["head"], r.commits["snap"] = moved, moved

	for round := 1; round <= 2; round++ {
		// No resolver at all: bumping never resolves.
		u := &Updater{Config: p.cfg, Opts: Options{Bump: true, PruneOrphans: true}}
		res, err := u.Run(context.Background(), []*resolve.Component{head, snap, loc}, p.names())
		if err != nil {
			t.Fatal(err)
		}
		if r.total() != 0 {
			t.Errorf("bump resolved %v", r.calls)
		}
		if len(res.Rows) != 3 {
			t.Errorf("round %d: rows %+v", round, res.Rows)
		}
		for _, row := range res.Rows {
			if !row.Changed {
				t.Errorf("round %d: %s not reported changed", round, row.Component)
			}
		}
		for _, c := range []*resolve.Component{head, snap} {
			l := p.readLock(c.Name)
			b := before[c.Name]
			if l.ManualBump != round || l.UpstreamCommit != b.UpstreamCommit || l.ImportCommit != b.ImportCommit || l.ResolutionInputHash != b.ResolutionInputHash {
				t.Errorf("round %d: %s lock %+v (before %+v)", round, c.Name, l, b)
			}
			if want := p.wantFingerprint(c, b.UpstreamCommit, round); l.InputFingerprint != want {
				t.Errorf("round %d: %s fingerprint not recomputed with the bump", round, c.Name)
			}
		}
		id, _ := fingerprint.LocalSourceIdentity(filepath.Dir(loc.Config.Spec.Path))
		if l := p.readLock("mine"); l.ManualBump != round || l.InputFingerprint != p.wantFingerprint(loc, id, round) {
			t.Errorf("round %d: local lock %+v", round, l)
		}
		if *p.readLock("other") != *before["other"] {
			t.Error("unselected component's lock changed")
		}
		if _, err := os.Stat(p.lockPath("orphan")); err != nil {
			t.Errorf("bump pruned an orphan: %v", err)
		}
		if res.Orphans != nil {
			t.Errorf("orphans %v with bump", res.Orphans)
		}
	}
}

func TestBumpWithoutLock(t *testing.T) {
	p := newProject(t)
	p.upstream("locked", snapshot, "")
	p.mustRun(newResolver(), Options{})
	p.upstream("new", snapshot, "")
	files := p.snapshotFiles()
	_, err := p.run(newResolver(), Options{Bump: true})
	if err == nil || !strings.Contains(err.Error(), "no lock file to bump; run 'azldev component update new' first") {
		t.Fatalf("error %v", err)
	}
	if !strings.Contains(err.Error(), "1 component(s) failed") {
		t.Errorf("error %v", err)
	}
	if got := p.snapshotFiles(); !reflect.DeepEqual(got, files) {
		t.Errorf("lock files changed:\n%v\nwant\n%v", got, files)
	}
}

func TestCheckOnly(t *testing.T) {
	p := newProject(t)
	p.upstream("fresh", snapshot, "")
	p.upstream("stale", snapshot, "")
	p.upstream("head", "", "")
	p.upstream("reshash", snapshot, "")
	r := newResolver()
	p.mustRun(r, Options{})
	p.upstream("new", snapshot, "")
	p.comps["stale"].Config.Spec.UpstreamDistro.Snapshot = "2026-03-01T00:00:00Z"
	r.commits["stale"] = moved
	// Only the resolution hash would change: the file would be rewritten
	// (stale) but the component is not reported as changed.
	p.comps["reshash"].Config.Spec.UpstreamDistro.Snapshot = "2026-03-01T00:00:00Z"
	p.writeLock("orphan-b", p.readLock("fresh"))
	p.writeLock("orphan-a", p.readLock("fresh"))
	files := p.snapshotFiles()

	for _, prune := range []bool{false, true} {
		res, err := p.run(r, Options{CheckOnly: true, PruneOrphans: prune})
		if err != nil {
			t.Fatal(err)
		}
		if got := p.snapshotFiles(); !reflect.DeepEqual(got, files) {
			t.Errorf("prune=%v: check-only changed lock files", prune)
		}
		if !slices.Equal(res.Stale, []string{"new", "reshash", "stale"}) {
			t.Errorf("prune=%v: stale %v", prune, res.Stale)
		}
		var rows []string
		for _, row := range res.Rows {
			rows = append(rows, row.Component)
		}
		if !slices.Equal(rows, []string{"new", "stale"}) {
			t.Errorf("prune=%v: rows %v", prune, rows)
		}
		wantOrphans := []string(nil)
		if prune {
			wantOrphans = []string{"orphan-a", "orphan-b"}
		}
		if !slices.Equal(res.Orphans, wantOrphans) {
			t.Errorf("prune=%v: orphans %v, want %v", prune, res.Orphans, wantOrphans)
		}
	}
	// The real run then writes what check-only predicted.
	res := p.mustRun(r, Options{PruneOrphans: true})
	if !slices.Equal(res.Stale, []string{"new", "reshash", "stale"}) || !slices.Equal(res.Orphans, []string{"orphan-a", "orphan-b"}) {
		t.Errorf("stale %v orphans %v", res.Stale, res.Orphans)
	}
	if p.readLock("stale").UpstreamCommit != moved {
		t.Error("stale lock not updated")
	}
}

func TestPruneOrphans(t *testing.T) {
	tests := []struct {
		name        string
		opts        Options
		wantOrphans []string
		pruned      bool
	}{
		{"without -a", Options{}, nil, false},
		{"with -a", Options{PruneOrphans: true}, []string{"alpha", "gone"}, true},
		{"with -a and --bump", Options{PruneOrphans: true, Bump: true}, nil, false},
		{"with -a and --check-only", Options{PruneOrphans: true, CheckOnly: true}, []string{"alpha", "gone"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newProject(t)
			p.upstream("hello", snapshot, "")
			p.mustRun(newResolver(), Options{})
			l := p.readLock("hello")
			p.writeLock("gone", l)
			p.writeLock("alpha", l)
			extra := map[string]string{
				".hidden.lock":           "x",
				"notes.txt":              "x",
				"gone.lock.bak":          "x",
				"dir.lock/inner.lock":    "x",
				".gone.lock.tmp-12345":   "x",
				"sub/nested-orphan.lock": "x",
			}
			for n, content := range extra {
				path := filepath.Join(p.cfg.Project.LockDir, n)
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			res, err := p.run(newResolver(), tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(res.Orphans, tt.wantOrphans) {
				t.Errorf("orphans %v, want %v", res.Orphans, tt.wantOrphans)
			}
			for _, n := range []string{"gone", "alpha"} {
				_, err := os.Stat(p.lockPath(n))
				if tt.pruned != os.IsNotExist(err) {
					t.Errorf("%s.lock: pruned = %v, want %v", n, os.IsNotExist(err), tt.pruned)
				}
			}
			for n := range extra {
				if _, err := os.Stat(filepath.Join(p.cfg.Project.LockDir, n)); err != nil {
					t.Errorf("%s removed: %v", n, err)
				}
			}
			if _, err := os.Stat(p.lockPath("hello")); err != nil {
				t.Errorf("known lock removed: %v", err)
			}
		})
	}
}

// Orphans are components that do not exist, not merely unselected ones.
func TestPruneKeepsUnselected(t *testing.T) {
	p := newProject(t)
	p.upstream("a", snapshot, "")
	p.upstream("b", snapshot, "")
	p.mustRun(newResolver(), Options{})
	res := p.mustRun(newResolver(), Options{PruneOrphans: true}, "a")
	if len(res.Orphans) != 0 {
		t.Errorf("orphans %v", res.Orphans)
	}
	if _, err := os.Stat(p.lockPath("b")); err != nil {
		t.Error(err)
	}
}

func TestPruneWithoutLockDir(t *testing.T) {
	p := newProject(t)
	res, err := p.run(newResolver(), Options{PruneOrphans: true})
	if err != nil || res.Orphans != nil {
		t.Errorf("%+v, %v", res, err)
	}
}

func TestResolutionFailureWritesNothing(t *testing.T) {
	p := newProject(t)
	p.upstream("a", snapshot, "")
	p.upstream("b", "", "")
	p.upstream("c", "", "")
	r := newResolver()
	p.mustRun(r, Options{})
	p.upstream("new", snapshot, "")
	p.local("mine", map[string]string{"mine.spec": "x"})
	p.writeLock("orphan", p.readLock("a"))
	r.commits["b"] = moved // would be written if anything were
	r.fail["c"] = errors.New("network down")
	files := p.snapshotFiles()

	res, err := p.run(r, Options{PruneOrphans: true})
	if err == nil || res != nil {
		t.Fatalf("no error: %+v", res)
	}
	for _, want := range []string{"1 component(s) failed to resolve; lock files not updated", "c: network down"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if got := p.snapshotFiles(); !reflect.DeepEqual(got, files) {
		t.Errorf("lock files changed after a failure")
	}
}

func TestNoResolver(t *testing.T) {
	p := newProject(t)
	p.upstream("hello", snapshot, "")
	p.local("mine", map[string]string{"mine.spec": "x"})
	_, err := p.run(nil, Options{})
	if err == nil || !strings.Contains(err.Error(), "hello: upstream components cannot be resolved: no dist-git provider") {
		t.Fatalf("error %v", err)
	}
	if _, err := os.Stat(p.lockPath("mine")); !os.IsNotExist(err) {
		t.Error("a lock was written")
	}
	// Local components alone need no resolver; fresh upstream ones neither.
	if _, err := p.run(nil, Options{}, "mine"); err != nil {
		t.Error(err)
	}
	p.mustRun(newResolver(), Options{}, "hello")
	if _, err := p.run(nil, Options{}, "hello"); err != nil {
		t.Errorf("fresh component needed a resolver: %v", err)
	}
}

func TestUnreadableLock(t *testing.T) {
	p := newProject(t)
	p.upstream("hello", snapshot, "")
	p.upstream("other", snapshot, "")
	if err := os.MkdirAll(p.cfg.Project.LockDir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p.lockPath("hello"), []byte("version = 2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := p.run(newResolver(), Options{})
	if err == nil || !strings.Contains(err.Error(), "unsupported lock file version 2") {
		t.Fatalf("error %v", err)
	}
	if _, err := os.Stat(p.lockPath("other")); !os.IsNotExist(err) {
		t.Error("other lock written despite the failure")
	}
}

// Switching a component from upstream to local clears the upstream fields;
// the reverse seeds import-commit.
func TestSpecTypeSwitch(t *testing.T) {
	p := newProject(t)
	p.upstream("hello", snapshot, "")
	p.mustRun(newResolver(), Options{})
	up := p.readLock("hello")
	p.local("hello", map[string]string{"hello.spec": "Name: hello\n"})
	res := p.mustRun(newResolver(), Options{})
	l := p.readLock("hello")
	if l.ImportCommit != "" || l.UpstreamCommit != "" || l.ResolutionInputHash != "" {
		t.Errorf("upstream fields kept: %+v", l)
	}
	if len(res.Rows) != 1 || res.Rows[0].PreviousCommit != up.UpstreamCommit || res.Rows[0].UpstreamCommit != "" {
		t.Errorf("rows %+v", res.Rows)
	}
	p.upstream("hello", snapshot, "")
	r := newResolver()
	r.commits["hello"] = again
	p.mustRun(r, Options{})
	if l := p.readLock("hello"); l.ImportCommit != again || l.UpstreamCommit != again {
		t.Errorf("re-imported lock %+v", l)
	}
}

// Components are planned concurrently; results keep the input order.
func TestParallel(t *testing.T) {
	p := newProject(t)
	var names []string
	for i := range 40 {
		name := fmt.Sprintf("comp%02d", i)
		names = append(names, name)
		if i%5 == 0 {
			p.local(name, map[string]string{name + ".spec": name})
		} else {
			p.upstream(name, "", "")
		}
	}
	r := newResolver()
	var progress atomic.Int32
	u := &Updater{Config: p.cfg, Commits: r, Workers: 8, Progress: func() { progress.Add(1) }}
	res, err := u.Run(context.Background(), p.all(), p.names())
	if err != nil {
		t.Fatal(err)
	}
	if progress.Load() != 40 || res.Total != 40 {
		t.Errorf("progress %d total %d", progress.Load(), res.Total)
	}
	var got []string
	for _, row := range res.Rows {
		got = append(got, row.Component)
	}
	if !slices.Equal(got, names) {
		t.Errorf("rows out of order: %v", got)
	}
	if r.total() != 32 {
		t.Errorf("%d resolutions, want 32", r.total())
	}
	for _, n := range names {
		if _, err := os.Stat(p.lockPath(n)); err != nil {
			t.Error(err)
		}
	}
	if r.maxPar.Load() > 8 {
		t.Errorf("%d concurrent resolutions with 8 workers", r.maxPar.Load())
	}
}
