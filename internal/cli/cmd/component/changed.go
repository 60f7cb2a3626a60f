package component

import (
	"context"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/azlforge/azldev/internal/cli/app"
	"github.com/azlforge/azldev/internal/cli/output"
	"github.com/azlforge/azldev/internal/lock/changed"
)

// ChangedOptions are the options of `component changed`.
type ChangedOptions struct {
	Selection        app.Selection
	From, To         string
	IncludeUnchanged bool
}

func newCmdChanged(a *app.App) *cobra.Command {
	var opts ChangedOptions
	cmd := &cobra.Command{
		Use:   "changed [NAME...]",
		Short: "List components whose build inputs changed between two commits",
		Long: `Compare the committed lock files of the selected components between two
revisions of the project repository: a component is changed when its input
fingerprint differs, added or deleted when its lock file appeared or
disappeared. SOURCES CHANGE tells whether the committed rendered sources file
differs. With -a, unchanged components are only listed with
--include-unchanged. The lock and rendered-specs directories are taken from
the current configuration.`,
		Example: `  azldev component changed -a --from origin/main
  azldev component changed -a --from v1.0 --to v1.1 -O json
  azldev component changed curl --from HEAD~5`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Selection = opts.Selection.With(args)
			return runChanged(cmd.Context(), a, opts)
		},
	}
	opts.Selection.Bind(cmd)
	f := cmd.Flags()
	f.StringVar(&opts.From, "from", "", "the older revision (commit, branch or tag; required)")
	f.StringVar(&opts.To, "to", "HEAD", "the newer revision")
	f.BoolVar(&opts.IncludeUnchanged, "include-unchanged", false, "with -a, also list components that did not change")
	_ = cmd.MarkFlagRequired("from")
	cmd.ValidArgsFunction = a.CompleteComponents
	return cmd
}

func runChanged(ctx context.Context, a *app.App, opts ChangedOptions) error {
	r, names, err := a.Select(opts.Selection)
	if err != nil {
		return err
	}
	rows, err := changed.CompareProject(ctx, changed.ProjectRequest{
		Config: r.Config(), From: opts.From, To: opts.To, Components: names, Configured: r.Exists,
		All: opts.Selection.All, IncludeUnchanged: opts.IncludeUnchanged, Log: a.Log,
	})
	if err != nil {
		return err
	}
	return writeChanged(a, rows)
}

// writeChanged prints the rows (already sorted by component).
func writeChanged(a *app.App, rows []changed.Row) error {
	out, err := a.Output()
	if err != nil {
		return err
	}
	table := output.Rows{Columns: []string{"Component", "Change", "Sources Change"}}
	for _, r := range rows {
		table.Rows = append(table.Rows, []string{r.Component, string(r.ChangeType), strconv.FormatBool(r.SourcesChange)})
	}
	if rows == nil {
		rows = []changed.Row{}
	}
	return out.Write(rows, table)
}
