package component

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/azlforge/azldev/internal/build"
	"github.com/azlforge/azldev/internal/build/backend"
	"github.com/azlforge/azldev/internal/build/localrepo"
	"github.com/azlforge/azldev/internal/cli/app"
	"github.com/azlforge/azldev/internal/cli/output"
	"github.com/azlforge/azldev/internal/graph"
	"github.com/azlforge/azldev/internal/prepare"
	"github.com/azlforge/azldev/internal/render"
	"github.com/azlforge/azldev/internal/resolve"
)

// BuildOptions are the options of `component build`.
type BuildOptions struct {
	Selection        app.Selection
	Backend          string
	Jobs             int
	ContinueOnError  bool
	SRPMOnly         bool
	NoCheck          bool
	LocalRepos       []string
	PublishRepo      string
	MockConfigOpts   []string
	PreserveBuildEnv string
	WithoutGit       bool
	WithDeps         bool
}

func newCmdBuild(a *app.App) *cobra.Command {
	var opts BuildOptions
	cmd := &cobra.Command{
		Use:   "build [NAME...]",
		Short: "Build components into SRPMs and RPMs",
		Long: `Prepare each selected component's sources (overlays applied, dist-git
history unless --without-git), build its SRPM and binary RPMs, and put them
in the project's output directory: SRPMs in srpms/, RPMs in rpms/<channel>/
(rpms/ when the package's publish channel is empty or none).

Backends: mock builds in a chroot of the project's default distro mock
configuration; rpmbuild builds on the host, with the BuildRequires the
host's rpm database provides (missing ones are reported before building).
The default is mock when it is installed and the project has a mock
configuration, else rpmbuild. Builds are reproducible: the spec's newest
%changelog date is SOURCE_DATE_EPOCH, the build time and the clamp for file
times, and the build host is fixed.

With -a or --with-deps (the selection and every component it
build-requires, directly or not) components are built in the order of the
build graph (see component graph), wave by wave, each wave's packages
published before the next starts; with -k a failure skips only the
components that build-require it, each reported as skipped because of it.
Otherwise the selected components are built side by side.

Each component logs to <log-dir>/build/<component>.log, kept when it fails;
its work directory is <work-dir>/<component>/build. With
--local-repo-with-publish the RPMs are added to a local repository
(createrepo_c metadata) that later builds read, like every --local-repo.`,
		Example: `  azldev component build -p hello
  azldev component build -a -k -j 4 --local-repo-with-publish ~/repo
  azldev component build -p curl --with-deps -k --local-repo-with-publish ~/repo
  azldev component build -p hello --backend rpmbuild --no-check
  azldev component build -p hello --srpm-only -O json`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := opts.validate(); err != nil {
				return app.NewUsageError(cmd, err)
			}
			opts.Selection = opts.Selection.With(args)
			return runBuild(cmd.Context(), a, opts)
		},
	}
	opts.Selection.Bind(cmd)
	f := cmd.Flags()
	f.StringVar(&opts.Backend, "backend", "", "build backend: rpmbuild or mock (default: mock when installed and configured, else rpmbuild)")
	f.IntVarP(&opts.Jobs, "jobs", "j", 1, "components built at once")
	f.BoolVarP(&opts.ContinueOnError, "continue-on-error", "k", false, "build the other components when one fails")
	f.BoolVar(&opts.SRPMOnly, "srpm-only", false, "build only the SRPMs")
	f.BoolVar(&opts.NoCheck, "no-check", false, "skip the %check section")
	f.StringArrayVar(&opts.LocalRepos, "local-repo", nil, "local RPM repository builds take packages from (repeatable)")
	f.StringVar(&opts.PublishRepo, "local-repo-with-publish", "", "local RPM repository builds take packages from and publish their RPMs to")
	f.StringArrayVar(&opts.MockConfigOpts, "mock-config-opt", nil, "mock configuration override KEY=VALUE (repeatable)")
	f.StringVar(&opts.PreserveBuildEnv, "preserve-buildenv", string(backend.PreserveOnFailure), "keep the build environment: on-failure, always or never")
	f.BoolVar(&opts.WithoutGit, "without-git", false, "prepare sources without dist-git history")
	f.BoolVar(&opts.WithDeps, "with-deps", false, "also build the components the selection build-requires, in dependency order")
	cmd.ValidArgsFunction = a.CompleteComponents
	_ = cmd.RegisterFlagCompletionFunc("backend", app.FixedCompletion(backend.RPMBuildName, backend.MockName))
	_ = cmd.RegisterFlagCompletionFunc("preserve-buildenv", app.FixedCompletion("on-failure", "always", "never"))
	return cmd
}

// validate checks the flags that depend on each other.
func (o *BuildOptions) validate() error {
	if o.PublishRepo != "" && o.SRPMOnly {
		return errors.New("--local-repo-with-publish cannot be used with --srpm-only")
	}
	if o.Jobs < 1 {
		return errors.New("--jobs must be at least 1")
	}
	for _, kv := range o.MockConfigOpts {
		if k, _, ok := strings.Cut(kv, "="); !ok || strings.TrimSpace(k) == "" {
			return errors.New("--mock-config-opt wants KEY=VALUE, got " + kv)
		}
	}
	_, err := backend.ParsePreserve(o.PreserveBuildEnv)
	return err
}

func runBuild(ctx context.Context, a *app.App, opts BuildOptions) error {
	r, names, err := a.SelectLocked(opts.Selection)
	if err != nil {
		return err
	}
	plan, err := buildPlan(ctx, a, r, names, opts)
	if err != nil {
		return err
	}
	waves, total, err := resolveWaves(r, plan.Waves)
	if err != nil {
		return err
	}
	builder, err := newBuilder(ctx, a, r, opts)
	if err != nil {
		return err
	}
	if a.Opts.DryRun {
		a.Log.Info("Dry run: nothing built", "components", strings.Join(slices.Concat(plan.Waves...), ", "), "backend", builder.Backend.Name(), "waves", len(plan.Waves))
		return nil
	}
	bar := a.Progress(total, "Building")
	builder.Opts.Progress = bar.Step
	builder.Opts.Deps = plan.Deps
	res, err := builder.Build(ctx, waves)
	bar.Done()
	if res != nil {
		if werr := writeBuild(a, res); werr != nil {
			return errors.Join(err, werr)
		}
	}
	return err
}

// buildPlan orders the build by the build graph with -a or --with-deps;
// otherwise the selection is one wave.
func buildPlan(ctx context.Context, a *app.App, r *resolve.Resolver, names []string, opts BuildOptions) (*graph.Plan, error) {
	if !opts.WithDeps && !opts.Selection.All {
		return &graph.Plan{Waves: [][]string{names}}, nil
	}
	loader, err := newGraphLoader(ctx, a, r, false, opts.Selection.SkipLockValidation)
	if err != nil {
		return nil, err
	}
	all, err := r.ResolveAll(r.Names())
	if err != nil {
		return nil, err
	}
	loader.Opts.Repos = builtRepos(opts)
	plan, err := loader.PlanBuild(ctx, all, names, opts.WithDeps)
	if err == nil {
		a.Log.Info("Build order", "components", len(plan.Deps), "waves", len(plan.Waves))
	}
	return plan, err
}

// builtRepos are the local repositories whose metadata the build order
// reads: the --local-repo and publish repositories that are intact (the
// build reports the others before building anything).
func builtRepos(opts BuildOptions) []string {
	var repos []string
	for _, r := range append(slices.Clone(opts.LocalRepos), opts.PublishRepo) {
		if r != "" && localrepo.Check(r) == nil {
			repos = append(repos, r)
		}
	}
	return repos
}

// resolveWaves resolves the components of each wave and counts them.
func resolveWaves(r *resolve.Resolver, names [][]string) ([][]*resolve.Component, int, error) {
	waves := make([][]*resolve.Component, len(names))
	total := 0
	for i, w := range names {
		comps, err := r.ResolveAll(w)
		if err != nil {
			return nil, 0, err
		}
		waves[i], total = comps, total+len(comps)
	}
	return waves, total, nil
}

// newBuilder chooses the backend and sets up the build of the project's
// components, their specs finished by the native rpmautospec.
func newBuilder(ctx context.Context, a *app.App, r *resolve.Resolver, opts BuildOptions) (*build.Builder, error) {
	cfg := r.Config()
	preserve, _ := backend.ParsePreserve(opts.PreserveBuildEnv)
	b, note, err := backend.New(backend.Settings{
		Name: opts.Backend, MockConfig: resolve.LookupDistro(cfg, cfg.Project.DefaultDistro).MockConfig(),
		MockConfigOpts: opts.MockConfigOpts, Preserve: preserve, Verbose: a.Opts.Verbose,
	})
	if err != nil {
		return nil, err
	}
	if note != "" {
		a.Log.Info(note)
	}
	proc, err := render.NewNativeProcessor(ctx, a.Log)
	if err != nil {
		return nil, err
	}
	stager := &prepare.Preparer{Config: cfg, DistGit: a.DistGit(), Downloads: a.Downloads(), Opts: prepare.Options{
		WithoutGit: opts.WithoutGit, SkipLockValidation: opts.Selection.SkipLockValidation, Log: a.Log,
		UpstreamRelease: proc.CalculateRelease,
	}}
	return &build.Builder{Stager: stager, Processor: proc, Backend: b, Channels: r, Opts: build.Options{
		OutputDir: cfg.Project.OutputDir, WorkDir: cfg.Project.WorkDir, LogDir: cfg.Project.LogDir,
		Jobs: opts.Jobs, ContinueOnError: opts.ContinueOnError, SRPMOnly: opts.SRPMOnly, NoCheck: opts.NoCheck,
		LocalRepos: opts.LocalRepos, PublishRepo: opts.PublishRepo, Preserve: preserve, Log: a.Log,
	}}, nil
}

// writeBuild logs the summary and prints one row per component, sorted.
func writeBuild(a *app.App, res *build.Result) error {
	a.Log.Info("Build complete", "total", len(res.Rows), "failed", len(res.Failed()))
	out, err := a.Output()
	if err != nil {
		return err
	}
	rows := append([]build.Row{}, res.Rows...)
	slices.SortStableFunc(rows, func(x, y build.Row) int { return strings.Compare(x.ComponentName, y.ComponentName) })
	table := output.Rows{Columns: []string{"Component", "Status", "SRPMs", "RPMs", "Error", "Log"}}
	for _, r := range rows {
		table.Rows = append(table.Rows, []string{r.ComponentName, r.Status(), baseNames(r.SRPMPaths), rpmCells(r.RPMs), firstLine(r.Error), r.LogFile})
	}
	return out.Write(rows, table)
}

func baseNames(paths []string) string {
	names := make([]string, len(paths))
	for i, p := range paths {
		names[i] = filepath.Base(p)
	}
	return strings.Join(names, ", ")
}

// rpmCells lists packages as "file (channel)".
func rpmCells(rpms []build.RPM) string {
	cells := make([]string, len(rpms))
	for i, r := range rpms {
		cells[i] = filepath.Base(r.Path)
		if r.PublishChannel != "" {
			cells[i] += " (" + r.PublishChannel + ")"
		}
	}
	return strings.Join(cells, ", ")
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
