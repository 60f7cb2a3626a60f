package build

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/azlforge/azldev/internal/build/backend"
	"github.com/azlforge/azldev/internal/foundation/command"
	"github.com/azlforge/azldev/internal/resolve"
	"github.com/azlforge/azldev/internal/testutil"
)

func TestMain(m *testing.M) { testutil.RunIsolated(m, nil) }

// stager writes a one-line spec for each component.
type stager struct {
	mu    sync.Mutex
	calls []string
}

func (s *stager) Stage(_ context.Context, c *resolve.Component, dir string) error {
	s.mu.Lock()
	s.calls = append(s.calls, c.Name)
	s.mu.Unlock()
	if c.Name == "unpreparable" {
		return errors.New("no such upstream")
	}
	return os.WriteFile(filepath.Join(dir, c.Name+".spec"), []byte("Name: "+c.Name+"\n"), 0o644)
}

// fake is a backend that copies prebuilt packages; it fails the binary
// build of the components in fail, and waits in block until ctx ends.
type fake struct {
	rpms  map[string][]string
	fail  map[string]bool
	block map[string]chan struct{}
}

func (fake) Name() string { return "fake" }

func (f fake) SRPM(_ context.Context, req backend.Request) (string, error) {
	if _, err := os.Stat(req.Spec()); err != nil {
		return "", err
	}
	fmt.Fprintf(req.Log, "building the SRPM of %s\n", req.Component)
	p := filepath.Join(req.WorkDir, "srpm", req.Component+"-1-1.src.rpm")
	os.MkdirAll(filepath.Dir(p), 0o755)
	return p, os.WriteFile(p, []byte("srpm of "+req.Component), 0o644)
}

func (f fake) RPMs(ctx context.Context, req backend.Request, _ string) ([]string, error) {
	if ch, ok := f.block[req.Component]; ok {
		close(ch)
		<-ctx.Done()
		return nil, ctx.Err()
	}
	if f.fail[req.Component] {
		fmt.Fprintln(req.Log, "the compiler exploded")
		return nil, errors.New("boom")
	}
	var out []string
	for _, src := range f.rpms[req.Component] {
		dst := filepath.Join(req.WorkDir, "rpms", filepath.Base(src))
		os.MkdirAll(filepath.Dir(dst), 0o755)
		data, err := os.ReadFile(src)
		if err != nil {
			return nil, err
		}
		out = append(out, dst)
		if err := os.WriteFile(dst, data, 0o644); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// channels maps package names to channels.
type channels map[string]string

func (c channels) RPMChannel(_ *resolve.Component, name string) string { return c[name] }

// project is a scratch project's directories.
type project struct{ dir, out, work, logs string }

func newProject(t *testing.T) project {
	dir := t.TempDir()
	return project{dir: dir, out: filepath.Join(dir, "out"), work: filepath.Join(dir, "build", "work"), logs: filepath.Join(dir, "build", "logs")}
}

func (p project) builder(b backend.Backend, opts Options) (*Builder, *stager) {
	s := &stager{}
	opts.OutputDir, opts.WorkDir, opts.LogDir = p.out, p.work, p.logs
	if opts.Preserve == "" {
		opts.Preserve = backend.PreserveOnFailure
	}
	opts.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	return &Builder{Stager: s, Backend: b, Channels: channels{"hello": "base", "hello-doc": "docs", "hello-debuginfo": "none"}, Opts: opts}, s
}

func comps(names ...string) []*resolve.Component {
	var out []*resolve.Component
	for _, n := range names {
		out = append(out, &resolve.Component{Name: n})
	}
	return out
}

// helloRPMs builds the binary packages of the hello component.
func helloRPMs(t *testing.T) []string {
	return []string{testutil.BuildRPM(t, "hello", "1", ""), testutil.BuildRPM(t, "hello-doc", "1", ""), testutil.BuildRPM(t, "hello-debuginfo", "1", "")}
}

func TestBuildDeliversByChannel(t *testing.T) {
	testutil.NeedPrograms(t, "rpm")
	p := newProject(t)
	b, _ := p.builder(fake{rpms: map[string][]string{"hello": helloRPMs(t)}}, Options{})
	c := &resolve.Component{Name: "hello"}
	c.Config.Publish.SRPMChannel = "src"
	res, err := b.Build(context.Background(), [][]*resolve.Component{{c}})
	if err != nil {
		t.Fatal(err)
	}
	row := res.Rows[0]
	want := []RPM{
		{filepath.Join(p.out, "rpms", "base", "hello-1-1.noarch.rpm"), "hello", "base"},
		{filepath.Join(p.out, "rpms", "docs", "hello-doc-1-1.noarch.rpm"), "hello-doc", "docs"},
		{filepath.Join(p.out, "rpms", "hello-debuginfo-1-1.noarch.rpm"), "hello-debuginfo", "none"},
	}
	if !slices.Equal(row.RPMs, want) {
		t.Errorf("rpms %+v\nwant %+v", row.RPMs, want)
	}
	if !slices.Equal(row.RPMChannels, []string{"base", "docs", "none"}) || len(row.RPMPaths) != 3 || row.RPMPaths[1] != want[1].Path {
		t.Errorf("row %+v", row)
	}
	if !slices.Equal(row.SRPMPaths, []string{filepath.Join(p.out, "srpms", "hello-1-1.src.rpm")}) || row.SRPMPublishChannel != "src" {
		t.Errorf("srpm %v %q", row.SRPMPaths, row.SRPMPublishChannel)
	}
	for _, r := range want {
		if _, err := os.Stat(r.Path); err != nil {
			t.Error(err)
		}
	}
	if row.Error != "" || row.LogFile != "" {
		t.Errorf("row %+v", row)
	}
	assertGone(t, filepath.Join(p.work, "hello", "build"), filepath.Join(p.logs, "build", "hello.log"))
}

func assertGone(t *testing.T, paths ...string) {
	t.Helper()
	for _, p := range paths {
		if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s is left behind (%v)", p, err)
		}
	}
}

func assertExists(t *testing.T, paths ...string) {
	t.Helper()
	for _, p := range paths {
		if _, err := os.Stat(p); err != nil {
			t.Error(err)
		}
	}
}

func TestSRPMOnly(t *testing.T) {
	p := newProject(t)
	b, _ := p.builder(fake{fail: map[string]bool{"hello": true}}, Options{SRPMOnly: true})
	res, err := b.Build(context.Background(), [][]*resolve.Component{comps("hello")})
	if err != nil {
		t.Fatal(err)
	}
	if row := res.Rows[0]; len(row.SRPMPaths) != 1 || len(row.RPMPaths) != 0 || row.RPMs == nil {
		t.Errorf("row %+v", row)
	}
}

func TestContinueOnErrorBuildsTheOthers(t *testing.T) {
	testutil.NeedPrograms(t, "rpm")
	p := newProject(t)
	b, s := p.builder(fake{rpms: map[string][]string{"hello": helloRPMs(t)}, fail: map[string]bool{"broken": true}},
		Options{ContinueOnError: true, Jobs: 2})
	res, err := b.Build(context.Background(), [][]*resolve.Component{comps("hello", "broken", "unpreparable")})
	if err == nil || err.Error() != "2 of 3 component(s) failed to build: broken, unpreparable" {
		t.Fatalf("got %v", err)
	}
	if len(s.calls) != 3 || !slices.Equal(res.Failed(), []string{"broken", "unpreparable"}) {
		t.Errorf("staged %v, failed %v", s.calls, res.Failed())
	}
	broken := res.Rows[1]
	log := filepath.Join(p.logs, "build", "broken.log")
	if broken.Error != "building the RPMs: boom" || broken.LogFile != log || len(broken.SRPMPaths) != 0 {
		t.Errorf("row %+v", broken)
	}
	data, _ := os.ReadFile(log)
	if !strings.Contains(string(data), "the compiler exploded\n") || !strings.Contains(string(data), "azldev: building broken failed: building the RPMs: boom") {
		t.Errorf("log:\n%s", data)
	}
	if res.Rows[2].Error != "preparing sources: no such upstream" {
		t.Errorf("row %+v", res.Rows[2])
	}
	assertExists(t, filepath.Join(p.work, "broken", "build", "backend", "srpm"), filepath.Join(p.out, "rpms", "base", "hello-1-1.noarch.rpm"))
	assertGone(t, filepath.Join(p.work, "hello", "build"), filepath.Join(p.logs, "build", "hello.log"))
}

func TestFirstFailureStopsTheBuild(t *testing.T) {
	p := newProject(t)
	b, s := p.builder(fake{fail: map[string]bool{"broken": true}}, Options{Jobs: 1})
	res, err := b.Build(context.Background(), [][]*resolve.Component{comps("broken", "later"), comps("next")})
	log := filepath.Join(p.logs, "build", "broken.log")
	if err == nil || err.Error() != "broken: building the RPMs: boom (log: "+log+")" {
		t.Fatalf("got %v", err)
	}
	if !slices.Equal(s.calls, []string{"broken"}) {
		t.Errorf("staged %v", s.calls)
	}
	var got []string
	for _, r := range res.Rows {
		got = append(got, r.ComponentName+": "+r.Error)
	}
	want := []string{"broken: building the RPMs: boom", "later: " + errNotStarted, "next: " + errNotStarted}
	if !slices.Equal(got, want) {
		t.Errorf("rows %q", got)
	}
}

func TestPreserveBuildEnv(t *testing.T) {
	for _, c := range []struct {
		preserve           backend.Preserve
		keepOK, keepFailed bool
	}{{backend.PreserveAlways, true, true}, {backend.PreserveNever, false, false}, {backend.PreserveOnFailure, false, true}} {
		t.Run(string(c.preserve), func(t *testing.T) {
			p := newProject(t)
			b, _ := p.builder(fake{fail: map[string]bool{"broken": true}}, Options{ContinueOnError: true, SRPMOnly: false, Preserve: c.preserve})
			b.Build(context.Background(), [][]*resolve.Component{comps("ok", "broken")})
			check := map[bool]func(*testing.T, ...string){true: assertExists, false: assertGone}
			check[c.keepOK](t, filepath.Join(p.work, "ok", "build", "sources", "ok.spec"), filepath.Join(p.logs, "build", "ok.log"))
			check[c.keepFailed](t, filepath.Join(p.work, "broken", "build", "sources", "broken.spec"))
			assertExists(t, filepath.Join(p.logs, "build", "broken.log"))
		})
	}
}

func TestAnotherProcessBuildingTheComponent(t *testing.T) {
	p := newProject(t)
	os.MkdirAll(filepath.Join(p.work, "busy"), 0o755)
	f, err := os.Create(filepath.Join(p.work, "busy", "build.lock"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		t.Fatal(err)
	}
	b, _ := p.builder(fake{}, Options{SRPMOnly: true})
	_, err = b.Build(context.Background(), [][]*resolve.Component{comps("busy")})
	want := "busy: another azldev process is building busy (it holds " + filepath.Join(p.work, "busy", "build.lock") + ")"
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
}

func TestCancellation(t *testing.T) {
	p := newProject(t)
	started := make(chan struct{})
	b, _ := p.builder(fake{block: map[string]chan struct{}{"slow": started}}, Options{Jobs: 2, ContinueOnError: true})
	ctx, cancel := context.WithCancelCause(context.Background())
	go func() { <-started; cancel(errors.New("interrupted")) }()
	res, err := b.Build(ctx, [][]*resolve.Component{comps("slow")})
	if err == nil || err.Error() != "interrupted" {
		t.Fatalf("got %v", err)
	}
	if res.Rows[0].Error != errCancelled || len(res.Failed()) != 0 {
		t.Errorf("rows %+v", res.Rows)
	}
	assertGone(t, filepath.Join(p.work, "slow", "build"), filepath.Join(p.logs, "build", "slow.log"))
}

func TestRepositoryProblemsStopBeforeBuilding(t *testing.T) {
	p := newProject(t)
	readOnly := t.TempDir()
	os.Chmod(readOnly, 0o555)
	t.Cleanup(func() { os.Chmod(readOnly, 0o755) })
	shared := t.TempDir()
	for name, c := range map[string]struct {
		opts Options
		want string
	}{
		"missing":          {Options{LocalRepos: []string{filepath.Join(p.dir, "nope")}}, "local repository " + filepath.Join(p.dir, "nope") + " does not exist"},
		"inside output":    {Options{PublishRepo: filepath.Join(p.out, "repo")}, "local repository " + filepath.Join(p.out, "repo") + " overlaps the output directory " + p.out},
		"read-only":        {Options{PublishRepo: readOnly}, "local repository " + readOnly + " is read-only"},
		"input and output": {Options{LocalRepos: []string{shared}, PublishRepo: shared}, "is given both with --local-repo and --local-repo-with-publish"},
	} {
		t.Run(name, func(t *testing.T) {
			b, s := p.builder(fake{}, c.opts)
			_, err := b.Build(context.Background(), [][]*resolve.Component{comps("hello")})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %v\nwant %s", err, c.want)
			}
			if len(s.calls) != 0 {
				t.Error("a component was prepared")
			}
		})
	}
}

func TestPublishToLocalRepository(t *testing.T) {
	testutil.NeedPrograms(t, "rpm", "createrepo_c")
	p := newProject(t)
	repo := filepath.Join(p.dir, "repo")
	os.Mkdir(repo, 0o755)
	b, _ := p.builder(fake{rpms: map[string][]string{"hello": helloRPMs(t)}, fail: map[string]bool{"broken": true}},
		Options{PublishRepo: repo, ContinueOnError: true})
	if _, err := b.Build(context.Background(), [][]*resolve.Component{comps("hello", "broken")}); err == nil {
		t.Fatal("the broken component built")
	}
	entries, _ := os.ReadDir(repo)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if want := []string{"hello-1-1.noarch.rpm", "hello-debuginfo-1-1.noarch.rpm", "hello-doc-1-1.noarch.rpm", "repodata"}; !slices.Equal(names, want) {
		t.Errorf("repository holds %v", names)
	}
}

func TestEmptyPublishRepositoryGetsMetadataFirst(t *testing.T) {
	testutil.NeedPrograms(t, "createrepo_c")
	p := newProject(t)
	repo := t.TempDir()
	var seen []string
	var mu sync.Mutex
	b, _ := p.builder(recorder{fake{}, func(r backend.Request) { mu.Lock(); seen = r.LocalRepos; mu.Unlock() }}, Options{PublishRepo: repo, SRPMOnly: true})
	if _, err := b.Build(context.Background(), [][]*resolve.Component{comps("hello")}); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(seen, []string{repo}) {
		t.Errorf("builds read %v", seen)
	}
	assertExists(t, filepath.Join(repo, "repodata", "repomd.xml"))
}

// recorder is a backend that reports the requests it gets.
type recorder struct {
	fake
	saw func(backend.Request)
}

func (r recorder) SRPM(ctx context.Context, req backend.Request) (string, error) {
	r.saw(req)
	return r.fake.SRPM(ctx, req)
}

func TestSummary(t *testing.T) {
	_, err := command.Run(context.Background(), command.Cmd{Program: "sh", Args: []string{"-c", "echo one >&2; echo; echo two >&2; echo three >&2; echo four >&2; exit 3"}})
	got := summary(fmt.Errorf("building the RPMs: %w", err))
	if want := "building the RPMs: sh failed (exit status 3): two; three; four"; got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
	if got := summary(errors.New("plain")); got != "plain" {
		t.Errorf("got %q", got)
	}
}

// autospec is a spec processor that appends a line to the spec.
type autospec struct{ fail bool }

func (a autospec) Autospec(_ context.Context, dir, spec string) error {
	if a.fail {
		return errors.New("unparseable")
	}
	f, err := os.OpenFile(spec, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = fmt.Fprintf(f, "processed in %s\n", filepath.Base(dir))
	return err
}

func TestSpecProcessorRunsBeforeTheBackend(t *testing.T) {
	p := newProject(t)
	var spec string
	b, _ := p.builder(recorder{fake{}, func(r backend.Request) {
		data, _ := os.ReadFile(r.Spec())
		spec = string(data)
	}}, Options{SRPMOnly: true, ContinueOnError: true})
	b.Processor = autospec{}
	if _, err := b.Build(context.Background(), [][]*resolve.Component{comps("hello")}); err != nil {
		t.Fatal(err)
	}
	if spec != "Name: hello\nprocessed in sources\n" {
		t.Errorf("the backend saw %q", spec)
	}
	b.Processor = autospec{fail: true}
	res, _ := b.Build(context.Background(), [][]*resolve.Component{comps("hello")})
	if res.Rows[0].Error != "rpmautospec: unparseable" {
		t.Errorf("row %+v", res.Rows[0])
	}
}

// TestFailureSkipsOnlyItsDependents: with -k, the components that
// build-require a failed one, directly or not, are skipped and name it;
// the others are built.
func TestFailureSkipsOnlyItsDependents(t *testing.T) {
	p := newProject(t)
	deps := map[string][]string{"app": {"lib"}, "lib": {"broken", "base"}, "tool": {"base"}, "base": nil, "broken": nil}
	b, s := p.builder(fake{fail: map[string]bool{"broken": true}}, Options{ContinueOnError: true, Jobs: 2, Deps: deps})
	res, err := b.Build(context.Background(), [][]*resolve.Component{comps("base", "broken"), comps("tool", "lib"), comps("app")})
	if err == nil || err.Error() != "1 of 5 component(s) failed to build: broken; 2 skipped because a build dependency failed" {
		t.Fatalf("got %v", err)
	}
	slices.Sort(s.calls)
	if !slices.Equal(s.calls, []string{"base", "broken", "tool"}) {
		t.Errorf("staged %v", s.calls)
	}
	var got []string
	for _, r := range res.Rows {
		got = append(got, fmt.Sprintf("%s %s %v", r.ComponentName, r.Status(), r.SkippedBecause))
	}
	want := []string{"base built []", "broken failed []", "tool built []", "lib skipped [broken]", "app skipped [broken]"}
	if !slices.Equal(got, want) {
		t.Errorf("rows %q", got)
	}
	if e := res.Rows[4].Error; e != "skipped: build dependency failed: broken" {
		t.Errorf("error %q", e)
	}
}
