// Package repo holds the `azldev repo` commands, one file per verb.
package repo

import (
	"github.com/spf13/cobra"

	"github.com/azlforge/azldev/internal/cli/app"
)

// NewCmd returns `azldev repo` and its verbs.
func NewCmd(a *app.App) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "repo",
		Short: "Work with RPM repositories",
	}
	cmd.AddCommand(newCmdQuery(a))
	return cmd
}
