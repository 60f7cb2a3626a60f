// Package build builds components into packages. Each component's prepared
// sources become an SRPM and binary RPMs through a backend; the packages
// land in the output directory (srpms/, rpms/ and rpms/<channel>/) and,
// optionally, in a local repository. Components come in waves: the
// components of a wave are independent and built side by side, and waves
// are built in order (package graph supplies a dependency order). When a
// component fails, the components that build-require it, directly or not,
// are skipped.
package build

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"

	"github.com/azlforge/azldev/internal/build/backend"
	"github.com/azlforge/azldev/internal/foundation/command"
	"github.com/azlforge/azldev/internal/foundation/parallel"
	"github.com/azlforge/azldev/internal/resolve"
)

// Stager writes a component's prepared sources into an empty directory
// (prepare.Preparer).
type Stager interface {
	Stage(ctx context.Context, comp *resolve.Component, dir string) error
}

// SpecProcessor finishes a prepared spec: it expands %autorelease and
// %autochangelog from the sources' git history as rpmautospec does
// (render.NativeProcessor).
type SpecProcessor interface {
	Autospec(ctx context.Context, dir, specPath string) error
}

// Channels gives the publish channel of a binary package a component built
// (resolve.Resolver).
type Channels interface {
	RPMChannel(comp *resolve.Component, name string) string
}

// Options controls a build.
type Options struct {
	OutputDir       string // packages go to its srpms/ and rpms/
	WorkDir         string // each component builds in <WorkDir>/<component>/build
	LogDir          string // each component logs to <LogDir>/build/<component>.log
	Jobs            int    // components of a wave built at once (at least 1)
	ContinueOnError bool   // build the other components when one fails
	SRPMOnly        bool
	NoCheck         bool
	LocalRepos      []string // repositories builds take packages from
	PublishRepo     string   // repository the RPMs are published to ("" for none); builds take packages from it too
	Preserve        backend.Preserve
	Log             *slog.Logger
	Progress        func() // called after each component
	// Deps are each component's build dependencies among those built: with
	// ContinueOnError, a component whose dependency failed or was skipped
	// is skipped (nil: components do not depend on each other).
	Deps map[string][]string
}

// Builder builds components with one stager, spec processor (nil for
// none), backend and channel rule.
type Builder struct {
	Stager    Stager
	Processor SpecProcessor
	Backend   backend.Backend
	Channels  Channels
	Opts      Options
}

// Row is the outcome for one component, in the reference's JSON shape
// (plus the error and log of a failed build).
type Row struct {
	ComponentName      string   `json:"componentName"`
	SRPMPaths          []string `json:"srpmPaths"`
	SRPMPublishChannel string   `json:"srpmPublishChannel,omitempty"`
	RPMPaths           []string `json:"rpmPaths"`
	RPMChannels        []string `json:"rpmChannels"` // the channel of each of RPMPaths
	RPMs               []RPM    `json:"rpms"`
	Error              string   `json:"error,omitempty"`
	LogFile            string   `json:"logFile,omitempty"`
	// SkippedBecause names the failed components a skipped component
	// build-requires, directly or not.
	SkippedBecause []string `json:"skippedBecause,omitempty"`
}

// RPM is a binary package in the output directory.
type RPM struct {
	Path           string `json:"path"`
	PackageName    string `json:"packageName"`
	PublishChannel string `json:"publishChannel"`
}

func newRow(name string) Row {
	return Row{ComponentName: name, SRPMPaths: []string{}, RPMPaths: []string{}, RPMChannels: []string{}, RPMs: []RPM{}}
}

// Outcomes of components that were not built to the end.
const (
	errCancelled  = "cancelled"
	errNotStarted = "not built: an earlier component failed"
)

// Result holds one row per component, wave by wave in input order.
type Result struct{ Rows []Row }

// Status says how a component's build ended: built, failed, cancelled,
// skipped (a build dependency failed) or not built (an earlier component
// failed).
func (r Row) Status() string {
	if r.SkippedBecause != nil {
		return "skipped"
	}
	switch r.Error {
	case "":
		return "built"
	case errCancelled:
		return "cancelled"
	case errNotStarted:
		return "not built"
	}
	return "failed"
}

// Failed lists the components whose build failed.
func (r *Result) Failed() []string {
	var names []string
	for _, row := range r.Rows {
		if row.Status() == "failed" {
			names = append(names, row.ComponentName)
		}
	}
	return names
}

// Build checks the local repositories, then builds waves in order. Without
// ContinueOnError the first failure stops the build (running builds are
// cancelled, later waves not started) and is returned; with it, every
// component is tried and the error names those that failed. The result
// has a row for every component either way.
func (b *Builder) Build(ctx context.Context, waves [][]*resolve.Component) (*Result, error) {
	repos, err := b.checkRepos(ctx)
	if err != nil {
		return nil, err
	}
	res := &Result{}
	var first error
	down := map[string][]string{} // failed or skipped component → the failed components behind it
	for _, wave := range waves {
		if first != nil && !b.Opts.ContinueOnError {
			for _, c := range wave {
				res.Rows = append(res.Rows, failedRow(c.Name, errNotStarted))
			}
			continue
		}
		todo, skipped := b.skipDependents(wave, down)
		rows, err := b.wave(ctx, todo, repos)
		res.Rows = append(res.Rows, merge(wave, rows, skipped)...)
		if ctx.Err() != nil {
			return res, context.Cause(ctx)
		}
		for _, r := range rows {
			if r.Status() == "failed" {
				down[r.ComponentName] = []string{r.ComponentName}
			}
		}
		if first == nil {
			first = err
		}
	}
	if failed := res.Failed(); b.Opts.ContinueOnError && len(failed) > 0 {
		return res, fmt.Errorf("%d of %d component(s) failed to build: %s%s", len(failed), len(res.Rows), strings.Join(failed, ", "), skippedNote(len(down)-len(failed)))
	}
	return res, first
}

// skipDependents splits a wave into the components to build and the rows
// of those skipped because a build dependency failed or was skipped
// (naming the failed components behind it), which it adds to down.
func (b *Builder) skipDependents(wave []*resolve.Component, down map[string][]string) ([]*resolve.Component, map[string]Row) {
	var todo []*resolve.Component
	skipped := map[string]Row{}
	for _, c := range wave {
		var causes []string
		for _, d := range b.Opts.Deps[c.Name] {
			causes = append(causes, down[d]...)
		}
		if len(causes) == 0 {
			todo = append(todo, c)
			continue
		}
		slices.Sort(causes)
		down[c.Name] = slices.Compact(causes)
		skipped[c.Name] = skippedRow(c.Name, down[c.Name])
		b.Opts.Log.Warn("Skipping component: a build dependency failed", "component", c.Name, "failed", strings.Join(down[c.Name], ", "))
		if b.Opts.Progress != nil {
			b.Opts.Progress()
		}
	}
	return todo, skipped
}

func skippedRow(name string, causes []string) Row {
	row := failedRow(name, "skipped: build dependency failed: "+strings.Join(causes, ", "))
	row.SkippedBecause = causes
	return row
}

// merge puts the rows of the built and the skipped components of a wave
// back in the wave's order.
func merge(wave []*resolve.Component, built []Row, skipped map[string]Row) []Row {
	rows := make([]Row, 0, len(wave))
	for _, c := range wave {
		if r, ok := skipped[c.Name]; ok {
			rows = append(rows, r)
			continue
		}
		rows = append(rows, built[0])
		built = built[1:]
	}
	return rows
}

func skippedNote(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("; %d skipped because a build dependency failed", n)
}

// wave builds independent components side by side.
func (b *Builder) wave(ctx context.Context, comps []*resolve.Component, repos []string) ([]Row, error) {
	mode := parallel.FailFast
	if b.Opts.ContinueOnError {
		mode = parallel.CollectAll
	}
	rows, err := parallel.Map(ctx, comps, parallel.Options{Limit: max(b.Opts.Jobs, 1), Mode: mode},
		func(ctx context.Context, _ int, c *resolve.Component) (Row, error) {
			row, err := b.component(ctx, c, repos)
			if b.Opts.Progress != nil {
				b.Opts.Progress()
			}
			return row, err
		})
	for i := range rows {
		if rows[i].ComponentName == "" {
			rows[i] = failedRow(comps[i].Name, errNotStarted)
		}
	}
	return rows, err
}

func failedRow(name, msg string) Row {
	row := newRow(name)
	row.Error = msg
	return row
}

// component builds one component and reports it in its row; the error,
// for stopping the wave, repeats the row's.
func (b *Builder) component(ctx context.Context, c *resolve.Component, repos []string) (Row, error) {
	row := newRow(c.Name)
	b.Opts.Log.Info("Building component", "component", c.Name, "backend", b.Backend.Name())
	log, err := b.run(ctx, c, repos, &row)
	switch {
	case err == nil:
		b.Opts.Log.Info("Built component", "component", c.Name, "srpms", len(row.SRPMPaths), "rpms", len(row.RPMPaths))
		return row, nil
	case ctx.Err() != nil:
		row.Error = errCancelled
		return row, context.Cause(ctx)
	}
	row.Error, row.LogFile = summary(err), log
	b.Opts.Log.Error("Build failed", "component", c.Name, "error", row.Error, "log", log)
	if log == "" {
		return row, fmt.Errorf("%s: %w", c.Name, err)
	}
	return row, fmt.Errorf("%s: %s (log: %s)", c.Name, row.Error, log)
}

// run builds c in its work directory with its own log, keeps or removes
// them as Preserve says (a failure's log is always kept) and returns the
// log's path when c failed.
func (b *Builder) run(ctx context.Context, c *resolve.Component, repos []string, row *Row) (string, error) {
	wd, err := openWorkDir(b.Opts.WorkDir, c.Name)
	if err != nil {
		return "", err
	}
	log, err := openLog(b.Opts.LogDir, c.Name)
	if err != nil {
		wd.close(false)
		return "", err
	}
	req := backend.Request{Component: c.Name, SourcesDir: wd.sources(), WorkDir: wd.backend(), NoCheck: b.Opts.NoCheck, LocalRepos: repos, Log: log}
	err = b.stageAndBuild(ctx, c, req, row)
	failed := err != nil && ctx.Err() == nil
	if failed {
		fmt.Fprintf(log, "azldev: building %s failed: %v\n", c.Name, err)
	}
	keep := b.Opts.Preserve.Keep(failed)
	wd.close(keep)
	if log.close(keep || failed) && failed {
		return log.path, err
	}
	return "", err
}

// stageAndBuild prepares c's sources and spec for req, then builds its packages.
func (b *Builder) stageAndBuild(ctx context.Context, c *resolve.Component, req backend.Request, row *Row) error {
	if err := b.Stager.Stage(ctx, c, req.SourcesDir); err != nil {
		return fmt.Errorf("preparing sources: %w", err)
	}
	if b.Processor != nil {
		if err := b.Processor.Autospec(ctx, req.SourcesDir, req.Spec()); err != nil {
			return fmt.Errorf("rpmautospec: %w", err)
		}
	}
	return b.packages(ctx, c, req, row)
}

// packages builds the SRPM and, unless SRPMOnly, the RPMs of req, moves
// them to the output directory and publishes the RPMs.
func (b *Builder) packages(ctx context.Context, c *resolve.Component, req backend.Request, row *Row) error {
	srpm, err := b.Backend.SRPM(ctx, req)
	if err != nil {
		return fmt.Errorf("building the SRPM: %w", err)
	}
	var rpms []string
	if !b.Opts.SRPMOnly {
		if rpms, err = b.Backend.RPMs(ctx, req, srpm); err != nil {
			return fmt.Errorf("building the RPMs: %w", err)
		}
	}
	if err := b.deliver(ctx, c, srpm, rpms, row); err != nil {
		return err
	}
	if b.Opts.PublishRepo == "" || len(row.RPMPaths) == 0 {
		return nil
	}
	return b.publish(ctx, row.RPMPaths)
}

// summary is a failure in a line or a few: the failure of a program inside
// err is shortened to the end of its standard error (the log has it all).
func summary(err error) string {
	var e *command.Error
	if !errors.As(err, &e) || e.ExitCode < 0 {
		return err.Error()
	}
	short := fmt.Sprintf("%s failed (exit status %d)", e.Program, e.ExitCode)
	if tail := lastLines(e.Stderr, 3); tail != "" {
		short += ": " + tail
	}
	return strings.Replace(err.Error(), e.Error(), short, 1)
}

// lastLines joins the last n non-blank lines of s with "; ".
func lastLines(s string, n int) string {
	var lines []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines[max(len(lines)-n, 0):], "; ")
}
