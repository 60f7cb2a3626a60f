package component

import (
	"context"
	"errors"

	"github.com/spf13/cobra"

	"github.com/azlforge/azldev/internal/cli/app"
	"github.com/azlforge/azldev/internal/cli/output"
	"github.com/azlforge/azldev/internal/graph"
	"github.com/azlforge/azldev/internal/prepare"
	"github.com/azlforge/azldev/internal/render"
	"github.com/azlforge/azldev/internal/resolve"
)

// GraphOptions are the options of `component graph`.
type GraphOptions struct {
	Selection app.Selection
	SpecsDir  string
	Prepare   bool
	Rdeps     []string
	Repos     []string
	Jobs      int
}

// dotFormat is the -O value of Graphviz output, which only this command has.
const dotFormat = "dot"

func newCmdGraph(a *app.App) *cobra.Command {
	var opts GraphOptions
	cmd := &cobra.Command{
		Use:   "graph [NAME...]",
		Short: "Show the build dependency graph, its cycles and the build order in waves",
		Long: `Evaluate every component's spec with the macro engine, resolve each
BuildRequires to the components whose packages (names and explicit Provides)
satisfy it, and print the selected components by build wave: a component's
build dependencies are all in earlier waves, except the members of its own
cycle (a strongly connected component, built in one wave).

Specs come from the project's rendered-specs tree; a component without a
rendered spec there, or every component with --prepare, is prepared in a
temporary directory (overlays applied, no dist-git history, no downloads).
--specs-dir reads every spec of a rendered-specs tree directly, without the
project's configuration. Requirements that only built packages reveal
(pkgconfig(...), perl(...), file paths...) stay unresolved, counted by kind,
unless a --local-repo holds the built packages: their metadata's exact
provides count too.

--rdeps NAME (repeatable) shows what must be rebuilt when NAME changes: NAME
and every component that build-requires it, directly or not, in build
order. The rebuild set of a pull request:

  azldev component changed -a --from origin/main -O json |
    jq -r '.[] | select(.changeType != "deleted") | "--rdeps=" + .component' |
    xargs -r azldev component graph -O json

-O json prints the summary, waves, cycles and every component's
requirements; -O dot prints Graphviz (dot -Tsvg).`,
		Annotations: map[string]string{app.ExtraFormats: dotFormat},
		Example: `  azldev component graph -a
  azldev component graph -a -O json > graph.json
  azldev component graph --rdeps openssl
  azldev component graph --specs-dir specs/ -O dot | dot -Tsvg > graph.svg`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Selection = opts.Selection.With(args)
			return runGraph(cmd.Context(), a, opts)
		},
	}
	opts.Selection.Bind(cmd)
	f := cmd.Flags()
	f.StringVar(&opts.SpecsDir, "specs-dir", "", "read every spec of this rendered-specs tree, without the project's configuration")
	f.BoolVar(&opts.Prepare, "prepare", false, "prepare every component instead of reading the rendered-specs tree")
	f.StringArrayVar(&opts.Rdeps, "rdeps", nil, "show what must be rebuilt when this component changes (repeatable)")
	f.StringArrayVar(&opts.Repos, "local-repo", nil, "local RPM repository whose packages' provides count for their components (repeatable)")
	f.IntVarP(&opts.Jobs, "jobs", "j", 0, "specs evaluated at once (default: one per CPU)")
	cmd.ValidArgsFunction = a.CompleteComponents
	return cmd
}

func runGraph(ctx context.Context, a *app.App, opts GraphOptions) error {
	req, err := graphRequest(ctx, a, opts)
	if err != nil {
		return err
	}
	bar := a.Progress(len(req.Components), "Reading specs")
	req.Opts.Progress = func(int, int) { bar.Step() }
	report, err := graph.Run(ctx, req)
	bar.Done()
	if err != nil {
		return err
	}
	return writeGraph(a, report)
}

// graphRequest turns the options into a graph request: spec-only over
// --specs-dir, else over the project's components.
func graphRequest(ctx context.Context, a *app.App, opts GraphOptions) (graph.Request, error) {
	req := graph.Request{Dependents: opts.Rdeps, Opts: graph.LoadOptions{Jobs: opts.Jobs, Repos: opts.Repos}}
	if opts.SpecsDir != "" {
		if !opts.Selection.Empty() || opts.Prepare {
			return req, errors.New("--specs-dir reads a whole tree: it takes no component selection or --prepare")
		}
		req.SpecsDir = opts.SpecsDir
		var err error
		req.Eval, err = newEvaluator(ctx, a)
		return req, err
	}
	r, err := a.Resolver()
	if err != nil {
		return req, err
	}
	if !opts.Selection.All {
		if req.Show, err = selected(a, opts); err != nil {
			return req, err
		}
	}
	if req.Components, err = r.ResolveAll(r.Names()); err != nil {
		return req, err
	}
	req.Loader, err = newGraphLoader(ctx, a, r, opts.Prepare, opts.Selection.SkipLockValidation)
	return req, err
}

// selected is the components a selection names; with --rdeps alone, all.
func selected(a *app.App, opts GraphOptions) ([]string, error) {
	if opts.Selection.Empty() && len(opts.Rdeps) > 0 {
		return nil, nil
	}
	_, names, err := a.Select(opts.Selection)
	if names == nil {
		names = []string{}
	}
	return names, err
}

// newEvaluator evaluates specs in the build root's macro environment
// ($RPM_CONFIGDIR, default /usr/lib/rpm).
func newEvaluator(ctx context.Context, a *app.App) (*graph.Evaluator, error) {
	proc, err := render.NewNativeProcessor(ctx, a.Log)
	if err != nil {
		return nil, err
	}
	return graph.NewEvaluator(ctx, proc.Base)
}

// newGraphLoader reads the specs of r's components: rendered, or prepared
// without dist-git history and downloads.
func newGraphLoader(ctx context.Context, a *app.App, r *resolve.Resolver, prepareAll, skipLocks bool) (*graph.Loader, error) {
	ev, err := newEvaluator(ctx, a)
	if err != nil {
		return nil, err
	}
	cfg := r.Config()
	stager := &prepare.Preparer{Config: cfg, DistGit: a.DistGit(), Opts: prepare.Options{
		WithoutGit: true, SkipSources: true, SkipLockValidation: skipLocks, Log: a.Log,
	}}
	return &graph.Loader{Eval: ev, Stager: stager, Prepare: prepareAll}, nil
}

// writeGraph prints the report: Graphviz for -O dot, else the summary as a
// log line and one row per component (JSON: the whole report).
func writeGraph(a *app.App, r *graph.Report) error {
	if a.Opts.OutputFormat == dotFormat {
		return r.WriteDOT(a.Stdout)
	}
	s := r.Summary
	a.Log.Info("Build graph", "components", s.Components, "waves", s.Waves, "cycles", s.Cycles, "largestCycle", s.LargestCycle,
		"buildRequires", s.BuildRequires, "resolved", s.Resolved, "errors", s.Errors)
	out, err := a.Output()
	if err != nil {
		return err
	}
	cols, rows := r.Rows()
	return out.Write(r, output.Rows{Columns: cols, Rows: rows})
}
