package component

import (
	"context"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/azlforge/azldev/internal/cli/app"
	"github.com/azlforge/azldev/internal/cli/output"
	"github.com/azlforge/azldev/internal/render"
)

// RenderOptions are the options of `component render`.
type RenderOptions struct {
	Selection   app.Selection
	OutputDir   string
	Force       bool
	CheckOnly   bool
	CleanStale  bool
	FailOnError bool
	Jobs        int
}

func newCmdRender(a *app.App) *cobra.Command {
	var opts RenderOptions
	cmd := &cobra.Command{
		Use:   "render [NAME...]",
		Short: "Write the final specs of components into the rendered-specs tree",
		Long: `Prepare each selected component in dist-git mode (overlays, build
configuration, synthetic history), expand %autorelease and %autochangelog
natively as rpmautospec does, keep only the files the spec uses, and write
the result to <root>/<letter>/<name>. The root is --output-dir, or the
project's rendered-specs-dir (where existing output is replaced). A component
that fails keeps its previous output and gets a RENDER_FAILED marker.
Nothing is downloaded and no chroot is needed; an upstream spec's Lua and
shell never run on the host.`,
		Example: `  azldev component render -a
  azldev component render -p curl -o /tmp/specs --force
  azldev component render -a --check-only --clean-stale`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Selection = opts.Selection.With(args)
			return runRender(cmd.Context(), a, opts)
		},
	}
	opts.Selection.Bind(cmd)
	f := cmd.Flags()
	f.StringVarP(&opts.OutputDir, "output-dir", "o", "", "render into this root instead of the project's rendered-specs-dir")
	f.BoolVarP(&opts.Force, "force", "f", false, "replace existing component directories under --output-dir")
	f.BoolVar(&opts.CheckOnly, "check-only", false, "change nothing; fail if any selected component's output would change")
	f.BoolVar(&opts.CleanStale, "clean-stale", false, "with -a, remove rendered directories of components that no longer exist")
	f.BoolVar(&opts.FailOnError, "fail-on-error", false, "exit non-zero when any component failed to render")
	f.IntVarP(&opts.Jobs, "jobs", "j", 0, "components rendered at once (default: 2 per CPU)")
	cmd.ValidArgsFunction = a.CompleteComponents
	return cmd
}

func runRender(ctx context.Context, a *app.App, opts RenderOptions) error {
	r, names, err := a.SelectLocked(opts.Selection)
	if err != nil {
		return err
	}
	proc, err := render.NewNativeProcessor(ctx, a.Log)
	if err != nil {
		return err
	}
	bar := a.Progress(len(names), "Rendering")
	res, err := render.Run(ctx, render.Request{
		Resolver: r, Names: names, All: opts.Selection.All, OutputDir: opts.OutputDir,
		Force: opts.Force, CheckOnly: opts.CheckOnly, CleanStale: opts.CleanStale, FailOnError: opts.FailOnError,
		SkipLockValidation: opts.Selection.SkipLockValidation, Jobs: opts.Jobs,
		DistGit: a.DistGit(), Processor: proc, Log: a.Log, Progress: func(int, int) { bar.Step() },
	})
	bar.Done()
	if res != nil {
		if werr := writeRender(a, res); werr != nil && err == nil {
			err = werr
		}
	}
	return err
}

// writeRender logs failures and prints one row per component.
func writeRender(a *app.App, res *render.Result) error {
	if n := res.Failed(); n > 0 {
		a.Log.Error("Some components failed to render", "failed", n)
	}
	out, err := a.Output()
	if err != nil {
		return err
	}
	rows := output.Rows{Columns: []string{"Component", "Status", "Changed", "Output Dir", "Error"}}
	for _, r := range res.Rows {
		rows.Rows = append(rows.Rows, []string{r.Component, r.Status, strconv.FormatBool(r.Changed), r.OutputDir, r.Error})
	}
	app.SortRows(rows.Rows)
	return out.Write(res.Rows, rows)
}
