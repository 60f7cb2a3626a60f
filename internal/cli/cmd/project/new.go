package project

import (
	"github.com/spf13/cobra"

	"github.com/azlforge/azldev/internal/cli/app"
	"github.com/azlforge/azldev/internal/config/skeleton"
)

// NewOptions are the options of `project new`.
type NewOptions struct {
	Dir string
}

func newCmdNew(a *app.App) *cobra.Command {
	var opts NewOptions
	return &cobra.Command{
		Use:   "new PATH",
		Short: "Create a new project directory",
		Long: `Create PATH (which must not exist or be empty) with an azldev.toml that
spells out the project directories and discovers every spec file as a
component, and a .gitignore for the build/ and out/ directories.`,
		Example: `  azldev project new mydistro`,
		Args:    cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			opts.Dir = args[0]
			return runNew(a, opts)
		},
	}
}

func runNew(a *app.App, opts NewOptions) error {
	files, err := skeleton.New(opts.Dir)
	if err != nil {
		return err
	}
	return writeFiles(a, files)
}
