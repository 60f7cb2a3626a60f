// Package update refreshes component lock files: it resolves each
// component's upstream commit (when needed), fingerprints its inputs and
// writes the lock when anything changed.
package update

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"strings"

	"github.com/azlforge/azldev/internal/config"
	"github.com/azlforge/azldev/internal/foundation/atomicfile"
	"github.com/azlforge/azldev/internal/foundation/parallel"
	"github.com/azlforge/azldev/internal/lock/fingerprint"
	"github.com/azlforge/azldev/internal/lock/lockfile"
	"github.com/azlforge/azldev/internal/resolve"
)

// Options controls an update run.
type Options struct {
	Bump             bool // increment manual-bump of already locked components
	CheckOnly        bool // compute, write nothing, fail when anything is stale
	DryRun           bool // compute and report, write nothing
	ForceRecalculate bool // re-resolve every upstream commit
	PruneOrphans     bool // delete lock files of components that no longer exist (-a)
}

// writes reports whether lock files are written and removed.
func (o Options) writes() bool { return !o.CheckOnly && !o.DryRun }

// Row is the outcome for one component.
type Row struct {
	Component      string `json:"component"`
	UpstreamCommit string `json:"upstreamCommit,omitempty"`
	PreviousCommit string `json:"previousCommit,omitempty"`
	Changed        bool   `json:"changed"`
	Skipped        bool   `json:"skipped,omitempty"`
	SkipReason     string `json:"skipReason,omitempty"`
	Error          string `json:"error,omitempty"`
}

// errNoResolver reports an upstream component that needs a CommitResolver when there is none.
var errNoResolver = errors.New("upstream components cannot be resolved: no dist-git provider")

// CommitResolver finds the upstream commit an upstream component should be
// built from, and checks that a locked one still exists.
type CommitResolver interface {
	ResolveCommit(ctx context.Context, c *resolve.Component) (string, error)
	CommitExists(ctx context.Context, c *resolve.Component, commit string) (bool, error)
}

// Updater refreshes lock files of one project.
type Updater struct {
	Config   *config.Config
	Commits  CommitResolver // nil: upstream components cannot be resolved
	Opts     Options
	Workers  int    // concurrent components (default 4 per CPU)
	Progress func() // called once per component examined (may be nil)
}

// Result summarizes a run.
type Result struct {
	Rows    []Row    // changed or skipped components
	Total   int      // components examined
	Orphans []string // lock files whose component no longer exists
	Stale   []string // components whose lock would change (with CheckOnly)
}

// Request is one `component update` run over selected components.
type Request struct {
	Resolver *resolve.Resolver
	Names    []string // the selected components
	All      bool     // every component was selected: prune orphan lock files
	Commits  CommitResolver
	Opts     Options
	Progress func() // called once per component examined (may be nil)
}

// Run resolves the selected components and updates their locks. With
// CheckOnly, stale locks or orphans make it fail with a *StaleError.
func Run(ctx context.Context, req Request) (*Result, error) {
	if len(req.Names) == 0 && !req.All {
		return nil, errors.New("no components matched the filter")
	}
	comps, err := req.Resolver.ResolveAll(req.Names)
	if err != nil {
		return nil, err
	}
	opts := req.Opts
	opts.PruneOrphans = req.All
	u := &Updater{Config: req.Resolver.Config(), Commits: req.Commits, Opts: opts, Progress: req.Progress}
	res, err := u.Run(ctx, comps, req.Resolver.Names())
	if err != nil {
		return nil, err
	}
	if opts.CheckOnly && (len(res.Stale) > 0 || len(res.Orphans) > 0) {
		return nil, &StaleError{Stale: res.Stale, Orphans: res.Orphans}
	}
	return res, nil
}

// StaleError reports stale lock files found by a check-only run.
type StaleError struct {
	Stale   []string // components whose lock would change
	Orphans []string // lock files that would be pruned
}

func (e *StaleError) Error() string {
	return fmt.Sprintf("lock files are stale; %d component(s) would change: %s; %d orphan lock file(s) would be pruned: %s. Run 'azldev component update -a' to refresh",
		len(e.Stale), strings.Join(e.Stale, ", "), len(e.Orphans), strings.Join(e.Orphans, ", "))
}

// plan is the computed new lock of one component.
type plan struct {
	comp    *resolve.Component
	path    string
	old     *lockfile.Lock // nil when there was no lock
	updated *lockfile.Lock
}

// Run updates the locks of comps; all names is every component of the project (for orphan pruning).
func (u *Updater) Run(ctx context.Context, comps []*resolve.Component, all []string) (*Result, error) {
	if u.Opts.writes() {
		_ = atomicfile.Sweep(u.Config.Project.LockDir) // killed runs' temporary lock files; best effort
	}
	res := &Result{Total: len(comps)}
	plans, err := u.planAll(ctx, comps)
	if err != nil {
		return nil, err
	}
	for _, p := range plans {
		row, changed := p.row(u.Opts.Bump)
		if changed {
			res.Stale = append(res.Stale, p.comp.Name)
		}
		if row.Changed {
			res.Rows = append(res.Rows, row)
		}
		if u.Opts.writes() && (p.old == nil || *p.old != *p.updated) {
			if err := lockfile.Write(p.path, p.updated); err != nil {
				return nil, err
			}
		}
	}
	if u.Opts.PruneOrphans && !u.Opts.Bump {
		orphans, err := u.pruneOrphans(all)
		if err != nil {
			return nil, err
		}
		res.Orphans = orphans
	}
	return res, nil
}

// planAll plans every component concurrently; results keep the input order.
// Every failure is reported, one line per component.
func (u *Updater) planAll(ctx context.Context, comps []*resolve.Component) ([]plan, error) {
	opts := parallel.Options{Limit: u.Workers, Mode: parallel.CollectAll, Name: func(i int) string { return comps[i].Name }}
	if u.Workers <= 0 {
		opts.Limit = 4 * runtime.GOMAXPROCS(0)
	}
	if u.Progress != nil {
		opts.Progress = func(int, int) { u.Progress() }
	}
	plans, err := parallel.Map(ctx, comps, opts, func(ctx context.Context, _ int, c *resolve.Component) (plan, error) {
		return u.plan(ctx, c)
	})
	if failed, ok := err.(interface{ Unwrap() []error }); ok {
		return nil, fmt.Errorf("%d component(s) failed to resolve; lock files not updated:\n%w", len(failed.Unwrap()), err)
	}
	return plans, err
}

// plan computes a component's new lock without writing it.
func (u *Updater) plan(ctx context.Context, c *resolve.Component) (plan, error) {
	p := plan{comp: c, path: lockfile.Path(u.Config.Project.LockDir, c.Name)}
	old, err := lockfile.Read(p.path)
	switch {
	case lockfile.IsNotExist(err):
		if u.Opts.Bump {
			return p, fmt.Errorf("no lock file to bump; run 'azldev component update %s' first", c.Name)
		}
	case err != nil:
		return p, err
	default:
		p.old = old
	}
	next := lockfile.New()
	if old != nil {
		*next = *old
	}
	if u.Opts.Bump {
		next.ManualBump++
	}
	identity, err := u.sourceIdentity(ctx, c, next)
	if err != nil {
		return p, err
	}
	fp, err := fingerprint.InputFingerprint(fingerprint.Inputs{
		Config: &c.Config, SourceIdentity: identity, ManualBump: next.ManualBump,
		ReleaseVer: resolve.SourceDistro(u.Config, &c.Config).ReleaseVer(),
	})
	if err != nil {
		return p, err
	}
	next.InputFingerprint = fp
	if err := u.checkReused(ctx, c, old, next); err != nil {
		return p, err
	}
	p.updated = next
	return p, nil
}

// checkReused makes sure that a locked commit kept while the lock is
// rewritten (its inputs changed, not its resolution) still exists upstream.
// Pins are used verbatim, as by the reference, and --bump needs no network.
func (u *Updater) checkReused(ctx context.Context, c *resolve.Component, old, next *lockfile.Lock) error {
	if old == nil || u.Opts.Bump || c.Config.Spec.Type != config.SpecTypeUpstream || c.Config.Spec.UpstreamCommit != "" ||
		next.UpstreamCommit != old.UpstreamCommit || next.InputFingerprint == old.InputFingerprint {
		return nil
	}
	if u.Commits == nil {
		return errNoResolver
	}
	ok, err := u.Commits.CommitExists(ctx, c, next.UpstreamCommit)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("the locked upstream-commit %s does not exist upstream; run 'azldev component update %s --force-recalculate' to resolve it again", next.UpstreamCommit, c.Name)
	}
	return nil
}

// sourceIdentity fills the lock's upstream fields and returns what the fingerprint covers.
func (u *Updater) sourceIdentity(ctx context.Context, c *resolve.Component, l *lockfile.Lock) (string, error) {
	if c.Config.Spec.Type != config.SpecTypeUpstream {
		l.ImportCommit, l.UpstreamCommit, l.ResolutionInputHash = "", "", ""
		return fingerprint.LocalSourceIdentity(c.SpecDir())
	}
	resHash := fingerprint.ResolutionInputHash(fingerprint.ResolutionInputsOf(u.Config, &c.Config))
	fresh := l.UpstreamCommit != "" && l.ResolutionInputHash == resHash && !u.Opts.ForceRecalculate &&
		(c.Config.Spec.UpstreamCommit != "" || c.Config.Spec.UpstreamDistro.Snapshot != "")
	if !fresh && !u.Opts.Bump {
		if u.Commits == nil {
			return "", errNoResolver
		}
		commit, err := u.Commits.ResolveCommit(ctx, c)
		if err != nil {
			return "", err
		}
		l.UpstreamCommit = commit
	}
	if l.ImportCommit == "" {
		l.ImportCommit = l.UpstreamCommit
	}
	l.ResolutionInputHash = resHash
	return l.UpstreamCommit, nil
}

// row reports the outcome; changed says whether the lock's meaningful content changes.
func (p plan) row(bump bool) (Row, bool) {
	r := Row{Component: p.comp.Name, UpstreamCommit: p.updated.UpstreamCommit}
	if p.old != nil && p.old.UpstreamCommit != p.updated.UpstreamCommit {
		r.PreviousCommit = p.old.UpstreamCommit
	}
	r.Changed = bump || p.old == nil || p.old.UpstreamCommit != p.updated.UpstreamCommit ||
		p.old.InputFingerprint != p.updated.InputFingerprint
	return r, r.Changed || (p.old != nil && *p.old != *p.updated)
}

// pruneOrphans deletes (or, with CheckOnly or DryRun, lists) lock files of unknown components.
func (u *Updater) pruneOrphans(all []string) ([]string, error) {
	orphans, err := lockfile.Orphans(u.Config.Project.LockDir, all)
	if err != nil || !u.Opts.writes() {
		return orphans, err
	}
	for _, o := range orphans {
		if err := os.Remove(lockfile.Path(u.Config.Project.LockDir, o)); err != nil {
			return nil, err
		}
	}
	return orphans, nil
}
