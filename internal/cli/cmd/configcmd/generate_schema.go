package configcmd

import (
	"github.com/spf13/cobra"

	"github.com/azlforge/azldev/internal/cli/app"
	"github.com/azlforge/azldev/internal/cli/output"
	"github.com/azlforge/azldev/internal/config"
)

func newCmdGenerateSchema(a *app.App) *cobra.Command {
	return &cobra.Command{
		Use:   "generate-schema",
		Short: "Print a JSON Schema of the configuration file format (for editors)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return output.WriteJSON(a.Stdout, config.Schema())
		},
	}
}
