package render

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/azlforge/azldev/internal/resolve"
	"github.com/azlforge/azldev/internal/testutil"
)

// fakeStage writes a component's files; a component named "broken" fails.
type fakeStage map[string]map[string]string

func (f fakeStage) Stage(_ context.Context, c *resolve.Component, dir string) error {
	if c.Name == "broken" {
		return errors.New("overlay failed")
	}
	for name, content := range f[c.Name] {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// fakeProcessor lists every file named like a source: "<name>.tar.gz".
type fakeProcessor struct{}

func (fakeProcessor) Autospec(context.Context, string, string) error { return nil }
func (fakeProcessor) Identity() string                               { return "fake" }
func (fakeProcessor) CalculateRelease(context.Context, string) (string, error) {
	return "1", nil
}
func (fakeProcessor) SourceValues(_ context.Context, _ string, spec string) ([]string, error) {
	name := filepath.Base(spec[:len(spec)-len(".spec")])
	return []string{"https://example.org/" + name + ".tar.gz", "fix.patch"}, nil
}

func comps(names ...string) []*resolve.Component {
	var cs []*resolve.Component
	for _, n := range names {
		cs = append(cs, &resolve.Component{Name: n})
	}
	return cs
}

func newRenderer(t *testing.T, root string, files fakeStage) *Renderer {
	return &Renderer{Stager: files, Processor: fakeProcessor{}, Opts: Options{
		Root: root, WorkDir: t.TempDir(), Force: true, Jobs: 2, Log: slog.New(slog.DiscardHandler),
	}}
}

func TestRenderWritesFiltersAndSkipsUnchanged(t *testing.T) {
	root := t.TempDir()
	files := fakeStage{
		"curl":     {"curl.spec": "Name: curl\n", "sources": "x", "fix.patch": "p", "gating.yaml": "", ".git/HEAD": "ref"},
		"libxml++": {"libxml++.spec": "Name: libxml++\n"},
	}
	r := newRenderer(t, root, files)
	res, err := r.Render(context.Background(), comps("curl", "libxml++"))
	if err != nil || res.Failed() != 0 || !res.Rows[0].Changed || !res.Rows[1].Changed {
		t.Fatalf("first render: %+v, %v", res, err)
	}
	got := testutil.Snapshot(t, filepath.Join(root, "c", "curl"))
	if _, ok := got["gating.yaml"]; ok {
		t.Error("unreferenced file kept")
	}
	if _, ok := got[".git"]; ok {
		t.Error(".git kept")
	}
	if _, ok := got["fix.patch"]; !ok {
		t.Error("patch filtered")
	}
	if target, _ := os.Readlink(filepath.Join(root, "l", "libxml%2B%2B")); target != "libxml++" {
		t.Errorf("alias: %q", target)
	}
	res, err = r.Render(context.Background(), comps("curl", "libxml++"))
	if err != nil || res.Rows[0].Changed || res.Rows[1].Changed {
		t.Fatalf("second render changed: %+v, %v", res, err)
	}
}

func TestRenderCheckOnlyDetectsDrift(t *testing.T) {
	root := t.TempDir()
	files := fakeStage{"curl": {"curl.spec": "Name: curl\n"}}
	r := newRenderer(t, root, files)
	if _, err := r.Render(context.Background(), comps("curl")); err != nil {
		t.Fatal(err)
	}
	spec := filepath.Join(root, "c", "curl", "curl.spec")
	os.WriteFile(spec, []byte("hand edit\n"), 0o644)
	r.Opts.CheckOnly = true
	res, err := r.Render(context.Background(), comps("curl"))
	if err != nil || !res.Rows[0].Changed {
		t.Fatalf("drift not seen: %+v, %v", res, err)
	}
	if data, _ := os.ReadFile(spec); string(data) != "hand edit\n" {
		t.Error("--check-only changed the output")
	}
}

func TestRenderFailureKeepsMarker(t *testing.T) {
	root := t.TempDir()
	r := newRenderer(t, root, fakeStage{})
	old := filepath.Join(root, "b", "broken")
	os.MkdirAll(old, 0o755)
	os.WriteFile(filepath.Join(old, "broken.spec"), []byte("old"), 0o644)

	r.Opts.Force = false
	res, err := r.Render(context.Background(), comps("broken"))
	if err != nil || res.Failed() != 1 || res.Rows[0].Status != StatusError {
		t.Fatalf("%+v, %v", res, err)
	}
	if _, err := os.Stat(filepath.Join(old, "broken.spec")); err != nil {
		t.Error("without --force the stale content must stay beside the marker")
	}
	r.Opts.Force = true
	if _, err := r.Render(context.Background(), comps("broken")); err != nil {
		t.Fatal(err)
	}
	if !IsFailedMarkerOnly(old) {
		t.Error("with --force the directory holds only the marker")
	}
	r.Opts.CheckOnly = true
	res, _ = r.Render(context.Background(), comps("broken"))
	if res.Rows[0].Changed {
		t.Error("an already marked failure counts as drift")
	}
}

func TestRenderWithoutForceRefusesExisting(t *testing.T) {
	root := t.TempDir()
	r := newRenderer(t, root, fakeStage{"curl": {"curl.spec": "new\n"}})
	os.MkdirAll(filepath.Join(root, "c", "curl"), 0o755)
	r.Opts.Force = false
	res, _ := r.Render(context.Background(), comps("curl"))
	if res.Rows[0].Status != StatusError || !strings.Contains(res.Rows[0].Error, "use --force") {
		t.Fatalf("%+v", res.Rows[0])
	}
}

func TestRenderCleanStale(t *testing.T) {
	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, "z", "zombie"), 0o755)
	r := newRenderer(t, root, fakeStage{"curl": {"curl.spec": "x"}})
	r.Opts.CleanStale, r.Opts.KnownNames = true, []string{"curl"}
	r.Opts.CheckOnly = true
	res, err := r.Render(context.Background(), comps("curl"))
	if err != nil || len(res.Orphans) != 1 {
		t.Fatalf("%+v, %v", res, err)
	}
	if _, err := os.Stat(filepath.Join(root, "z", "zombie")); err != nil {
		t.Error("--check-only removed an orphan")
	}
	r.Opts.CheckOnly = false
	if _, err := r.Render(context.Background(), comps("curl")); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "z")); !os.IsNotExist(err) {
		t.Error("orphan not removed")
	}
}

func TestRenderCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := newRenderer(t, t.TempDir(), fakeStage{"curl": {"curl.spec": "x"}})
	res, err := r.Render(ctx, comps("curl", "wget"))
	if err == nil {
		t.Fatal("no error on a cancelled run")
	}
	for _, row := range res.Rows {
		if row.Status != StatusCancelled {
			t.Errorf("%+v", row)
		}
	}
}

// countingStage counts the components it stages.
type countingStage struct {
	fakeStage
	n atomic.Int32
}

func (c *countingStage) Stage(ctx context.Context, comp *resolve.Component, dir string) error {
	c.n.Add(1)
	return c.fakeStage.Stage(ctx, comp, dir)
}

// TestRenderCacheSkipsUnchangedComponents renders twice with the same input
// keys (the second run stages nothing), then finds a hand edit and a new key.
func TestRenderCacheSkipsUnchangedComponents(t *testing.T) {
	t.Setenv("AZLDEV_CACHE_DIR", t.TempDir())
	t.Setenv("AZLDEV_NO_CACHE", "")
	root := t.TempDir()
	st := &countingStage{fakeStage: fakeStage{"curl": {"curl.spec": "Name: curl\n"}, "wget": {"wget.spec": "Name: wget\n"}}}
	key := "k1"
	r := newRenderer(t, root, nil)
	r.Stager = st
	r.Opts.Key = func(_ context.Context, c *resolve.Component) (string, bool) { return key + c.Name, c.Name != "wget" }
	render := func() *Result {
		res, err := r.Render(context.Background(), comps("curl", "wget"))
		if err != nil || res.Failed() != 0 {
			t.Fatalf("%+v, %v", res, err)
		}
		return res
	}
	render()
	st.n.Store(0)
	if res := render(); st.n.Load() != 1 || res.Rows[0].Changed {
		t.Fatalf("second run staged %d components (want only the uncacheable wget): %+v", st.n.Load(), res.Rows)
	}
	spec := filepath.Join(root, "c", "curl", "curl.spec")
	os.WriteFile(spec, []byte("hand edit\n"), 0o644)
	r.Opts.CheckOnly = true
	if res := render(); !res.Rows[0].Changed {
		t.Error("a hand edit was hidden by the cache")
	}
	r.Opts.CheckOnly = false
	render()
	if data, _ := os.ReadFile(spec); string(data) != "Name: curl\n" {
		t.Errorf("hand edit not repaired: %q", data)
	}
	st.n.Store(0)
	key = "k2"
	render()
	if st.n.Load() != 2 {
		t.Errorf("a new input key staged %d components, want 2", st.n.Load())
	}
}
