package component

import (
	"context"
	"strings"

	"github.com/spf13/cobra"

	"github.com/azlforge/azldev/internal/cli/app"
	"github.com/azlforge/azldev/internal/cli/output"
	"github.com/azlforge/azldev/internal/prepare"
	"github.com/azlforge/azldev/internal/render"
)

// QueryOptions are the options of `component query`.
type QueryOptions struct {
	Selection app.Selection
	Jobs      int
}

func newCmdQuery(a *app.App) *cobra.Command {
	var opts QueryOptions
	cmd := &cobra.Command{
		Use:   "query [NAME...]",
		Short: "Show the name, EVR, subpackages, BuildRequires, Provides, Sources and Patches of overlaid specs",
		Long: `Apply each selected component's overlays and build configuration in a
temporary directory and evaluate its spec natively, as rpmspec would in the
build root whose RPM configuration $RPM_CONFIGDIR names (nothing is run on
the host, nothing downloaded).`,
		Example: `  azldev component query curl
  azldev component query -p 'python-*' -O json`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Selection = opts.Selection.With(args)
			return runQuery(cmd.Context(), a, opts)
		},
	}
	opts.Selection.Bind(cmd)
	cmd.Flags().IntVarP(&opts.Jobs, "jobs", "j", 0, "components evaluated at once (default: one per CPU)")
	cmd.ValidArgsFunction = a.CompleteComponents
	return cmd
}

func runQuery(ctx context.Context, a *app.App, opts QueryOptions) error {
	r, names, err := a.SelectLocked(opts.Selection)
	if err != nil {
		return err
	}
	comps, err := r.ResolveAll(names)
	if err != nil {
		return err
	}
	proc, err := render.NewNativeProcessor(ctx, a.Log)
	if err != nil {
		return err
	}
	p := &prepare.Preparer{Config: r.Config(), DistGit: a.DistGit(),
		Opts: prepare.Options{SkipLockValidation: opts.Selection.SkipLockValidation, Log: a.Log}}
	infos, err := render.Query(ctx, p, proc.Base, comps, opts.Jobs)
	if err != nil {
		return err
	}
	out, err := a.Output()
	if err != nil {
		return err
	}
	rows := output.Rows{Columns: []string{"Component", "Name", "EVR", "Subpackages", "BuildRequires"}}
	for _, i := range infos {
		evr := i.Version + "-" + i.Release
		if i.Epoch != "" {
			evr = i.Epoch + ":" + evr
		}
		rows.Rows = append(rows.Rows, []string{i.Component, i.Name, evr, strings.Join(i.Subpackages, ", "), strings.Join(i.BuildRequires, ", ")})
	}
	app.SortRows(rows.Rows)
	return out.Write(infos, rows)
}
