package component

import (
	"context"
	"errors"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/azlforge/azldev/internal/cli/app"
	"github.com/azlforge/azldev/internal/cli/output"
	"github.com/azlforge/azldev/internal/lock/update"
	"github.com/azlforge/azldev/internal/source/upstream"
)

// UpdateOptions are the options of `component update`.
type UpdateOptions struct {
	Selection app.Selection
	Update    update.Options
}

func newCmdUpdate(a *app.App) *cobra.Command {
	var opts UpdateOptions
	cmd := &cobra.Command{
		Use:   "update [NAME...]",
		Short: "Refresh lock files: resolve upstream commits and fingerprint inputs",
		Long: `Resolve each selected component's upstream commit (unless its lock is
already fresh), fingerprint all of its build inputs, and write its lock file
under the project's lock directory when anything changed. With -a, lock files
of components that no longer exist are removed.`,
		Example: `  azldev component update -a
  azldev component update curl --bump
  azldev component update -a --check-only`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Update.Bump && opts.Update.CheckOnly {
				return app.NewUsageError(cmd, errors.New("--bump and --check-only cannot be used together"))
			}
			opts.Selection = opts.Selection.With(args)
			opts.Update.DryRun = a.Opts.DryRun
			return runUpdate(cmd.Context(), a, opts)
		},
	}
	opts.Selection.Bind(cmd)
	f := cmd.Flags()
	f.BoolVar(&opts.Update.Bump, "bump", false, "increment the manual rebuild counter of already locked components")
	f.BoolVar(&opts.Update.CheckOnly, "check-only", false, "fail if any lock file is stale; write nothing")
	f.BoolVar(&opts.Update.ForceRecalculate, "force-recalculate", false, "re-resolve every upstream commit, even for fresh locks")
	cmd.ValidArgsFunction = a.CompleteComponents
	return cmd
}

func runUpdate(ctx context.Context, a *app.App, opts UpdateOptions) error {
	r, names, err := a.Select(opts.Selection)
	if err != nil {
		return err
	}
	bar := a.Progress(len(names), "Updating locks")
	res, err := update.Run(ctx, update.Request{
		Resolver: r, Names: names, All: opts.Selection.All, Opts: opts.Update, Progress: bar.Step,
		Commits: &upstream.Resolver{Config: r.Config(), Provider: a.DistGit()},
	})
	bar.Done()
	if err != nil {
		return err
	}
	if opts.Update.DryRun && !opts.Update.CheckOnly {
		a.Log.Info("Dry run: no lock file written or removed", "wouldChange", len(res.Stale), "wouldPrune", len(res.Orphans))
	}
	return writeUpdate(a, res)
}

// writeUpdate logs the summary and prints the changed components.
func writeUpdate(a *app.App, res *update.Result) error {
	for _, o := range res.Orphans {
		a.Log.Info("Removing orphan lock file", "component", o)
	}
	changed := len(res.Rows)
	a.Log.Info("Update complete", "total", res.Total, "changed", changed, "upToDate", res.Total-changed, "skipped", 0)
	out, err := a.Output()
	if err != nil {
		return err
	}
	rows := output.Rows{Columns: []string{"Component", "Upstream Commit", "Previous Commit", "Changed"}}
	for _, r := range res.Rows {
		rows.Rows = append(rows.Rows, []string{r.Component, r.UpstreamCommit, r.PreviousCommit, strconv.FormatBool(r.Changed)})
	}
	app.SortRows(rows.Rows)
	if res.Rows == nil {
		res.Rows = []update.Row{}
	}
	return out.Write(res.Rows, rows)
}
