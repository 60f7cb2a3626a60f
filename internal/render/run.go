package render

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"github.com/azlforge/azldev/internal/foundation/cachedir"
	"github.com/azlforge/azldev/internal/prepare"
	"github.com/azlforge/azldev/internal/prepare/history"
	"github.com/azlforge/azldev/internal/resolve"
	"github.com/azlforge/azldev/internal/source/distgit"
)

// Request is one `component render` run.
type Request struct {
	Resolver           *resolve.Resolver
	Names              []string // the selected components
	All                bool     // every component was selected (-a)
	OutputDir          string   // -o; "" renders into the project's rendered-specs-dir (forcing)
	Force              bool
	CheckOnly          bool
	CleanStale         bool
	FailOnError        bool
	SkipLockValidation bool
	Jobs               int
	DistGit            *distgit.Provider
	Processor          SpecProcessor
	Log                *slog.Logger
	Progress           func(done, total int)
}

// Validate checks the flag combinations the reference refuses.
func (req *Request) Validate() error {
	switch {
	case req.CheckOnly && req.FailOnError:
		return errors.New("--check-only and --fail-on-error cannot be used together")
	case req.CleanStale && !req.All:
		return errors.New("--clean-stale requires -a/--all-components")
	case req.CleanStale && req.OutputDir != "" && !req.Force:
		return errors.New("--clean-stale with an explicit --output-dir requires --force")
	}
	return checkRoot(req.OutputDir)
}

// checkRoot refuses output roots whose replacement would be destructive.
func checkRoot(dir string) error {
	if dir == "" {
		return nil
	}
	clean := filepath.Clean(dir)
	if clean == "." || clean == "/" || clean == ".." || strings.HasPrefix(clean, "../") {
		return fmt.Errorf("refusing to render into %q: choose a dedicated output directory", dir)
	}
	return nil
}

// StaleError reports what a check-only run found out of date.
type StaleError struct {
	Changed    []string // components whose output would change
	Orphans    []string // orphan rendered directories
	CleanStale bool     // orphans were looked for
}

func (e *StaleError) Error() string {
	msg := fmt.Sprintf("rendered output is stale; %d component(s) would change: %s", len(e.Changed), strings.Join(e.Changed, ", "))
	if e.CleanStale {
		msg += fmt.Sprintf("; %d orphan rendered-spec dir(s): %s", len(e.Orphans), strings.Join(e.Orphans, ", "))
	}
	return msg + ". Run 'azldev component render -a' to refresh"
}

// Run renders the selected components. It fails with a *StaleError when
// checking finds drift, and, with FailOnError, when any component failed.
func Run(ctx context.Context, req Request) (*Result, error) {
	if err := req.Validate(); err != nil {
		return nil, err
	}
	cfg := req.Resolver.Config()
	comps, err := req.Resolver.ResolveAll(req.Names)
	if err != nil {
		return nil, err
	}
	root, force := req.OutputDir, req.Force
	if root == "" {
		root, force = cfg.Project.RenderedSpecsDir, true
	}
	if root, err = filepath.Abs(root); err != nil {
		return nil, err
	}
	stager := &prepare.Preparer{Config: cfg, DistGit: req.DistGit, LockHistory: lockHistory(ctx, req), Opts: prepare.Options{
		OutputDir: root, SkipSources: true, SkipLockValidation: req.SkipLockValidation, Log: req.Log,
		UpstreamRelease: req.Processor.CalculateRelease, SharedObjects: true,
	}}
	jobs := req.Jobs
	if jobs <= 0 {
		jobs = 2 * runtime.NumCPU() // as the reference: much of the work waits on git
	}
	salt := cachedir.ExecutableIdentity() + "\x00" + req.Processor.Identity()
	r := &Renderer{Stager: stager, Processor: req.Processor, Opts: Options{
		Key: func(ctx context.Context, c *resolve.Component) (string, bool) {
			k, ok, err := stager.InputKey(ctx, c)
			return salt + "\x00" + k, ok && err == nil && salt != "\x00"
		},
		Root: root, WorkDir: cfg.Project.WorkDir, Force: force, CheckOnly: req.CheckOnly,
		CleanStale: req.CleanStale, Jobs: jobs, Log: req.Log, Progress: req.Progress, KnownNames: req.Resolver.Names(),
	}}
	res, err := r.Render(ctx, comps)
	if res != nil {
		slices.SortStableFunc(res.Rows, func(a, b Row) int { return strings.Compare(a.Component, b.Component) })
	}
	if err != nil {
		return res, err
	}
	return res, verdict(req, res)
}

// lockHistory reads the project's lock history once for many components;
// nil (each component reads its own, and reports any problem) when there
// are few or the project is not in a git repository.
func lockHistory(ctx context.Context, req Request) *history.Index {
	if len(req.Names) < 2 {
		return nil
	}
	cfg := req.Resolver.Config()
	ix, err := history.NewIndex(ctx, cfg.ProjectDir, cfg.Project.LockDir)
	if err != nil {
		req.Log.Debug("Reading lock histories per component", "reason", err)
		return nil
	}
	return ix
}

// verdict turns drift or failures into the run's error where asked to.
func verdict(req Request, res *Result) error {
	if req.CheckOnly {
		var changed []string
		for _, row := range res.Rows {
			if row.Changed {
				changed = append(changed, row.Component)
			}
		}
		if len(changed) > 0 || len(res.Orphans) > 0 {
			return &StaleError{Changed: changed, Orphans: res.Orphans, CleanStale: req.CleanStale}
		}
	}
	if n := res.Failed(); req.FailOnError && n > 0 {
		return fmt.Errorf("%d component(s) failed to render", n)
	}
	return nil
}
