// Package configcmd holds the `azldev config` commands.
package configcmd

import (
	"github.com/spf13/cobra"

	"github.com/azlforge/azldev/internal/cli/app"
)

// NewCmd returns `azldev config` and its verbs.
func NewCmd(a *app.App) *cobra.Command {
	cmd := &cobra.Command{Use: "config", Short: "Inspect the project configuration"}
	cmd.AddCommand(newCmdDump(a), newCmdGenerateSchema(a))
	return cmd
}
