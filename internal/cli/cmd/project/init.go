package project

import (
	"github.com/spf13/cobra"

	"github.com/azlforge/azldev/internal/cli/app"
	"github.com/azlforge/azldev/internal/config/skeleton"
)

// InitOptions are the options of `project init`.
type InitOptions struct {
	Dir string
}

func newCmdInit(a *app.App) *cobra.Command {
	var opts InitOptions
	return &cobra.Command{
		Use:   "init",
		Short: "Make the current directory (or -C DIR) a project",
		Long: `Write azldev.toml into the current directory (or the -C directory), refusing
to replace an existing one, and add build/ and out/ to its .gitignore.`,
		Example: `  azldev project init
  azldev -C ~/src/mydistro project init`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			opts.Dir = a.Opts.Project
			if opts.Dir == "" {
				opts.Dir = "."
			}
			return runInit(a, opts)
		},
	}
}

func runInit(a *app.App, opts InitOptions) error {
	files, err := skeleton.Init(opts.Dir)
	if err != nil {
		return err
	}
	return writeFiles(a, files)
}
