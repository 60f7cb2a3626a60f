package render

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/azlforge/azldev/internal/foundation/parallel"
	"github.com/azlforge/azldev/internal/foundation/treediff"
	"github.com/azlforge/azldev/internal/resolve"
)

// Stager writes a component's prepared sources, in dist-git mode, into an
// empty directory (prepare.Preparer in render mode).
type Stager interface {
	Stage(ctx context.Context, comp *resolve.Component, dir string) error
}

// SpecProcessor finishes a staged spec: Autospec expands %autorelease and
// %autochangelog from the directory's git history (rpmautospec
// process-distgit); SourceValues lists the Source and Patch values in the
// order spectool -l -a prints them; CalculateRelease is the complete
// release rpmautospec calculate-release prints (for provenance macros).
type SpecProcessor interface {
	Autospec(ctx context.Context, dir, specPath string) error
	SourceValues(ctx context.Context, dir, specPath string) ([]string, error)
	CalculateRelease(ctx context.Context, specPath string) (string, error)
	// Identity names everything besides a component's inputs that its
	// rendering depends on (the macro environment), for the render cache.
	Identity() string
}

// Options controls a render run.
type Options struct {
	Root        string // the rendered-specs root
	WorkDir     string // where staging directories go
	Force       bool   // replace existing component directories
	CheckOnly   bool   // compare only; change nothing on disk
	CleanStale  bool   // remove (or, with CheckOnly, report) orphan directories
	Jobs        int    // components rendered at once
	Log         *slog.Logger
	Progress    func(done, total int)
	KnownNames  []string // every component of the project (for CleanStale)
	StagingName string   // staging directory prefix (default azldev-render-staging-)
	// Key digests a component's inputs for the render cache; ok is false
	// when its output cannot be cached. Nil renders everything.
	Key func(ctx context.Context, c *resolve.Component) (key string, ok bool)
}

// Status of one component.
const (
	StatusOK        = "ok"
	StatusError     = "error"
	StatusCancelled = "cancelled"
)

// Row is the outcome for one component, as `component render` reports it.
type Row struct {
	Component string `json:"component"`
	OutputDir string `json:"outputDir"`
	Status    string `json:"status"`
	Error     string `json:"error,omitempty"`
	Changed   bool   `json:"changed"`
}

// Result summarizes a run: one row per component in input order, and the
// orphan directories found with CleanStale.
type Result struct {
	Rows    []Row
	Orphans []string
}

// Failed counts the rows with an error.
func (r *Result) Failed() int {
	return r.count(func(row Row) bool { return row.Status == StatusError })
}

func (r *Result) count(f func(Row) bool) int {
	n := 0
	for _, row := range r.Rows {
		if f(row) {
			n++
		}
	}
	return n
}

// Renderer renders components with one stager and spec processor.
type Renderer struct {
	Stager    Stager
	Processor SpecProcessor
	Opts      Options
}

// Render renders comps. A component that fails keeps its previous output
// and gets the failure marker (not with CheckOnly); the run goes on. The
// error is only for what stops the whole run (cancellation, an unusable
// output root).
func (r *Renderer) Render(ctx context.Context, comps []*resolve.Component) (*Result, error) {
	if err := os.MkdirAll(r.Opts.WorkDir, 0o755); err != nil {
		return nil, err
	}
	staging, err := os.MkdirTemp(r.Opts.WorkDir, r.stagingName())
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(staging)
	var known *cache
	if r.Opts.Key != nil {
		known = openCache(r.Opts.Root)
	}
	rows, err := parallel.Map(ctx, comps, parallel.Options{Limit: r.Opts.Jobs, Mode: parallel.CollectAll, Progress: r.Opts.Progress},
		func(ctx context.Context, _ int, c *resolve.Component) (Row, error) {
			return r.cached(ctx, known, c, filepath.Join(staging, c.Name)), nil
		})
	if serr := known.save(); serr != nil {
		r.Opts.Log.Warn("Not saving the render cache", "error", serr)
	}
	res := &Result{Rows: rows}
	if err != nil {
		markCancelled(res.Rows, comps)
		return res, err
	}
	if r.Opts.CleanStale {
		if res.Orphans, err = Orphans(r.Opts.Root, r.Opts.KnownNames); err != nil {
			return res, err
		}
		if !r.Opts.CheckOnly {
			err = RemoveOrphans(r.Opts.Root, res.Orphans)
		}
	}
	return res, err
}

func (r *Renderer) stagingName() string {
	if r.Opts.StagingName != "" {
		return r.Opts.StagingName
	}
	return "azldev-render-staging-"
}

// markCancelled fills the rows of components that never ran.
func markCancelled(rows []Row, comps []*resolve.Component) {
	for i := range rows {
		if rows[i].Component == "" {
			rows[i] = Row{Component: comps[i].Name, Status: StatusCancelled}
		}
	}
}

// cached skips a component whose inputs and output are those the cache
// recorded, and otherwise renders it and records the outcome.
func (r *Renderer) cached(ctx context.Context, known *cache, c *resolve.Component, staging string) Row {
	out := ComponentDir(r.Opts.Root, c.Name)
	key := ""
	if known != nil {
		if k, ok := r.Opts.Key(ctx, c); ok {
			key = k
		}
	}
	if ok, failure := known.fresh(c.Name, key, out); ok {
		return r.unchanged(c.Name, out, failure)
	}
	row := r.one(ctx, c, staging)
	if !r.Opts.CheckOnly && row.Status != StatusCancelled {
		if row.Status == StatusError && !IsFailedMarkerOnly(out) {
			key = "" // a failure beside stale content: render again next time
		}
		known.record(c.Name, key, row.Error, out)
	}
	return row
}

// unchanged is the row of a component the cache vouches for: its output (or
// its failure marker) is what its unchanged inputs give.
func (r *Renderer) unchanged(name, out, failure string) Row {
	row := Row{Component: name, OutputDir: out, Status: StatusOK}
	if failure != "" {
		row.Status, row.Error = StatusError, failure
		return row
	}
	if !r.Opts.CheckOnly {
		if err := LinkAlias(r.Opts.Root, name); err != nil {
			row.Status, row.Error = StatusError, err.Error()
		}
	}
	return row
}

// one renders a component into staging, then compares and publishes it.
func (r *Renderer) one(ctx context.Context, c *resolve.Component, staging string) Row {
	out := ComponentDir(r.Opts.Root, c.Name)
	row := Row{Component: c.Name, OutputDir: out, Status: StatusOK}
	err := r.build(ctx, c, staging)
	if err == nil {
		row.Changed, err = r.publish(c.Name, staging, out)
	}
	if err != nil {
		if ctx.Err() != nil {
			row.Status = StatusCancelled
			return row
		}
		r.Opts.Log.Error("Rendering failed", "component", c.Name, "error", err)
		row.Status, row.Error = StatusError, err.Error()
		row.Changed = !IsFailedMarkerOnly(out)
		if !r.Opts.CheckOnly {
			if merr := r.markFailed(out); merr != nil {
				row.Error += "; " + merr.Error()
			}
		}
	}
	return row
}

// build stages the component and finishes its spec and file set.
func (r *Renderer) build(ctx context.Context, c *resolve.Component, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := r.Stager.Stage(ctx, c, dir); err != nil {
		return err
	}
	spec := filepath.Join(dir, c.Name+".spec")
	if err := r.Processor.Autospec(ctx, dir, spec); err != nil {
		return fmt.Errorf("rpmautospec: %w", err)
	}
	values, err := r.Processor.SourceValues(ctx, dir, spec)
	if err != nil {
		return fmt.Errorf("listing sources: %w", err)
	}
	if err := r.filter(c, dir, values); err != nil {
		return err
	}
	return os.RemoveAll(filepath.Join(dir, ".git"))
}

// filter deletes the files the spec does not use, unless the component
// skips the filter or a listed name still holds a macro.
func (r *Renderer) filter(c *resolve.Component, dir string, values []string) error {
	if c.Config.Render.SkipFileFilter {
		return nil
	}
	keep, ok := KeepSet(c.Name+".spec", values)
	if !ok {
		r.Opts.Log.Info("Skipping file filter (spectool output contains unexpanded macros)", "component", c.Name)
		return nil
	}
	return Filter(dir, keep)
}

// publish compares the staged tree with the output and, unless checking
// only, replaces it when it changed.
func (r *Renderer) publish(name, staging, out string) (bool, error) {
	changed, err := differs(staging, out)
	if err != nil || r.Opts.CheckOnly {
		return changed, err
	}
	if changed {
		if err := r.replace(staging, out); err != nil {
			return true, err
		}
	}
	return changed, LinkAlias(r.Opts.Root, name)
}

// differs reports whether the staged tree differs from the output (a
// missing output differs).
func differs(staging, out string) (bool, error) {
	if _, err := os.Lstat(out); errors.Is(err, os.ErrNotExist) {
		return true, nil
	}
	res, err := treediff.Compare(out, staging)
	if err != nil {
		return false, err
	}
	return len(res.Files) > 0, nil
}

// replace swaps the staged tree in: an existing directory needs Force.
func (r *Renderer) replace(staging, out string) error {
	if _, err := os.Lstat(out); err == nil && !r.Opts.Force {
		return fmt.Errorf("output directory `%s` already exists; use --force to overwrite", out)
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return err
	}
	return swapDir(staging, out)
}

// markFailed writes the failure marker: into a wiped directory when
// forcing, else next to whatever is there.
func (r *Renderer) markFailed(out string) error {
	if r.Opts.Force {
		if err := os.RemoveAll(out); err != nil {
			return err
		}
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(out, FailedMarker), []byte(FailedText), 0o644)
}

// swapDir replaces dst by src with renames only, so every instant leaves
// either the old or the new tree in place: dst moves to a trash name, src
// takes its place, and the trash is deleted.
func swapDir(src, dst string) error {
	trash := filepath.Join(filepath.Dir(dst), "."+filepath.Base(dst)+".azldev-trash-"+strings.ReplaceAll(filepath.Base(src), string(filepath.Separator), "_"))
	hadOld := true
	if err := os.Rename(dst, trash); errors.Is(err, os.ErrNotExist) {
		hadOld = false
	} else if err != nil {
		return err
	}
	if err := os.Rename(src, dst); err != nil {
		if hadOld {
			_ = os.Rename(trash, dst)
		}
		return err
	}
	if hadOld {
		return os.RemoveAll(trash)
	}
	return nil
}
