package component

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/azlforge/azldev/internal/cli/app"
	"github.com/azlforge/azldev/internal/config/edit"
)

// AddOptions are the options of `component add`.
type AddOptions struct {
	Names []string
}

func newCmdAdd(a *app.App) *cobra.Command {
	return &cobra.Command{
		Use:   "add NAME...",
		Short: "Add components (imported from the default upstream) to the root config file",
		Long: `Append a bare [components.NAME] table for each name to the project's root
azldev.toml. The rest of the file, comments and formatting included, is kept
as it is. A name that is already a component is an error.`,
		Example: `  azldev component add curl wget`,
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runAdd(a, AddOptions{Names: args})
		},
	}
}

func runAdd(a *app.App, opts AddOptions) error {
	cfg, err := a.Project()
	if err != nil {
		return err
	}
	if err := edit.AddComponents(cfg, opts.Names); err != nil {
		return err
	}
	a.Log.Info("Added components", "file", cfg.RootFile, "components", strings.Join(opts.Names, ", "))
	return nil
}
