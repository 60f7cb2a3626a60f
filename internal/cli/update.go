package cli

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/azlforge/azldev/internal/cli/output"
	"github.com/azlforge/azldev/internal/lock/update"
	"github.com/azlforge/azldev/internal/resolve"
	"github.com/azlforge/azldev/internal/source/upstream"
)

func newUpdateCommand(app *App) *cobra.Command {
	var sf selectionFlags
	var opts update.Options
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
			if opts.Bump && opts.CheckOnly {
				return usageError{cmd.CommandPath(), errors.New("--bump and --check-only cannot be used together")}
			}
			r, names, err := sf.selected(app, args)
			if err != nil {
				return err
			}
			if len(names) == 0 && !sf.sel.All {
				return errors.New("no components matched the filter")
			}
			comps, err := resolveAll(r, names)
			if err != nil {
				return err
			}
			opts.PruneOrphans = sf.sel.All
			dryRun := app.Opts.DryRun && !opts.CheckOnly
			if dryRun {
				opts.CheckOnly = true // compute everything, write nothing
			}
			bar := app.progress(len(comps), "Updating locks")
			u := &update.Updater{Config: r.Config(), Opts: opts, Progress: bar.step,
				Commits: &upstream.Resolver{Config: r.Config(), Provider: app.DistGit(), Ctx: cmd.Context()}}
			res, err := u.Run(comps, r.Names())
			bar.done()
			if err != nil {
				return err
			}
			if dryRun {
				app.Log.Info("Dry run: no lock file written or removed", "wouldChange", len(res.Stale), "wouldPrune", len(res.Orphans))
				opts.CheckOnly = false
			}
			return reportUpdate(app, res, opts)
		},
	}
	sf.bind(cmd)
	f := cmd.Flags()
	f.BoolVar(&opts.Bump, "bump", false, "increment the manual rebuild counter of already locked components")
	f.BoolVar(&opts.CheckOnly, "check-only", false, "fail if any lock file is stale; write nothing")
	f.BoolVar(&opts.ForceRecalculate, "force-recalculate", false, "re-resolve every upstream commit, even for fresh locks")
	cmd.ValidArgsFunction = sf.complete(app)
	return cmd
}

// resolveAll resolves the named components in order.
func resolveAll(r *resolve.Resolver, names []string) ([]*resolve.Component, error) {
	comps := make([]*resolve.Component, 0, len(names))
	for _, n := range names {
		c, err := r.Resolve(n)
		if err != nil {
			return nil, err
		}
		comps = append(comps, c)
	}
	return comps, nil
}

func reportUpdate(app *App, res *update.Result, opts update.Options) error {
	if opts.CheckOnly && (len(res.Stale) > 0 || len(res.Orphans) > 0) {
		return fmt.Errorf("lock files are stale; %d component(s) would change: %s; %d orphan lock file(s) would be pruned: %s. Run 'azldev component update -a' to refresh",
			len(res.Stale), strings.Join(res.Stale, ", "), len(res.Orphans), strings.Join(res.Orphans, ", "))
	}
	for _, o := range res.Orphans {
		app.Log.Info("Removing orphan lock file", "component", o)
	}
	changed := len(res.Rows)
	app.Log.Info("Update complete", "total", res.Total, "changed", changed, "upToDate", res.Total-changed, "skipped", 0)
	out, err := app.Output()
	if err != nil {
		return err
	}
	rows := output.Rows{Columns: []string{"Component", "Upstream Commit", "Previous Commit", "Changed"}}
	for _, r := range res.Rows {
		rows.Rows = append(rows.Rows, []string{r.Component, r.UpstreamCommit, r.PreviousCommit, strconv.FormatBool(r.Changed)})
	}
	sortRows(rows.Rows)
	if res.Rows == nil {
		res.Rows = []update.Row{}
	}
	return out.Write(res.Rows, rows)
}
