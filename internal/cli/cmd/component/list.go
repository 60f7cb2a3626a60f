package component

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/azlforge/azldev/internal/cli/app"
	"github.com/azlforge/azldev/internal/cli/output"
	"github.com/azlforge/azldev/internal/config"
	"github.com/azlforge/azldev/internal/lock/lockfile"
	"github.com/azlforge/azldev/internal/resolve"
)

// ListOptions are the options of `component list`.
type ListOptions struct {
	Selection app.Selection
}

func newCmdList(a *app.App) *cobra.Command {
	var opts ListOptions
	cmd := &cobra.Command{
		Use:   "list [NAME...]",
		Short: "List components with their resolved configuration",
		Example: `  azldev component list -a
  azldev component list -p 'python-*' -O json
  azldev component list curl`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Selection = opts.Selection.With(args)
			return runList(cmd.Context(), a, opts)
		},
	}
	opts.Selection.Bind(cmd)
	cmd.ValidArgsFunction = a.CompleteComponents
	return cmd
}

// componentJSON is the JSON shape of a resolved component.
type componentJSON struct {
	Name            string      `json:"name"`
	RenderedSpecDir string      `json:"renderedSpecDir"`
	Locked          *lockedJSON `json:"locked,omitempty"`
	config.ComponentConfig
}

// lockedJSON is a component's lock file as shown in listings.
type lockedJSON struct {
	UpstreamCommit      string `json:"upstreamCommit,omitempty"`
	ImportCommit        string `json:"importCommit,omitempty"`
	ManualBump          int    `json:"manualBump,omitempty"`
	InputFingerprint    string `json:"inputFingerprint,omitempty"`
	ResolutionInputHash string `json:"resolutionInputHash,omitempty"`
}

func runList(ctx context.Context, a *app.App, opts ListOptions) error {
	r, names, err := a.Select(opts.Selection)
	if err != nil {
		return err
	}
	out, err := a.Output()
	if err != nil {
		return err
	}
	comps, err := r.ResolveAll(names)
	if err != nil {
		return err
	}
	items := make([]componentJSON, len(comps))
	rows := output.Rows{Columns: []string{"Name", "Spec"}}
	for i, c := range comps {
		items[i] = componentJSON{Name: c.Name, RenderedSpecDir: c.RenderedSpecDir, ComponentConfig: c.Config}
		rows.Rows = append(rows.Rows, []string{c.Name, resolve.SpecSummary(r.Config(), c)})
	}
	app.SortRows(rows.Rows)
	if out.Format == output.JSON {
		locks, err := lockfile.ReadAll(ctx, r.Config().Project.LockDir, names)
		if err != nil {
			return err
		}
		for i, l := range locks {
			if l != nil {
				items[i].Locked = &lockedJSON{UpstreamCommit: l.UpstreamCommit, ImportCommit: l.ImportCommit,
					ManualBump: l.ManualBump, InputFingerprint: l.InputFingerprint, ResolutionInputHash: l.ResolutionInputHash}
			}
		}
	}
	return out.Write(items, rows)
}
