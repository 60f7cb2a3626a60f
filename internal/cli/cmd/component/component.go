// Package component holds the `azldev component` commands, one file per verb.
package component

import (
	"github.com/spf13/cobra"

	"github.com/azlforge/azldev/internal/cli/app"
)

// NewCmd returns `azldev component` and its verbs.
func NewCmd(a *app.App) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "component",
		Aliases: []string{"comp"},
		Short:   "Inspect and process components (one per source package)",
	}
	cmd.AddCommand(newCmdList(a), newCmdAdd(a), newCmdPrepareSources(a), newCmdDiffSources(a), newCmdUpdate(a), newCmdChanged(a), newCmdRender(a), newCmdBuild(a), newCmdHistory(a), newCmdQuery(a), newCmdGraph(a))
	return cmd
}
