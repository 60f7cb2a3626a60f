// Package docs holds the `azldev docs` commands: the Markdown command
// reference and the guide for coding agents, both generated from the
// command tree.
package docs

import (
	"github.com/spf13/cobra"

	"github.com/azlforge/azldev/internal/cli/app"
)

// NewCmd returns `azldev docs` and its verbs.
func NewCmd(a *app.App) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "docs",
		Short: "Generate documentation of the command line",
	}
	cmd.AddCommand(newCmdMarkdown(a), newCmdAgent(a))
	return cmd
}

// visible calls fn for cmd and every descendant shown in help, parents first,
// children in name order.
func visible(cmd *cobra.Command, fn func(*cobra.Command)) {
	fn(cmd)
	for _, c := range cmd.Commands() {
		if c.IsAvailableCommand() && !c.IsAdditionalHelpTopicCommand() {
			visible(c, fn)
		}
	}
}
