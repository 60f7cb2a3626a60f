// Package advanced holds the lower-level `azldev advanced` commands.
package advanced

import (
	"context"
	"errors"

	"github.com/spf13/cobra"

	"github.com/azlforge/azldev/internal/cli/app"
	"github.com/azlforge/azldev/internal/cli/mcpserver"
	"github.com/azlforge/azldev/internal/prepare"
)

// NewCmd returns `azldev advanced` and its verbs; newRoot builds the
// command trees the MCP server runs its tools on.
func NewCmd(a *app.App, newRoot mcpserver.NewRoot) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "advanced",
		Aliases: []string{"adv"},
		Short:   "Lower-level tools",
		Hidden:  true,
	}
	cmd.AddCommand(newCmdDownloadSources(a), newCmdWget(a), newCmdMock(a), newCmdMCP(a, newRoot))
	return cmd
}

// DownloadSourcesOptions are the options of `advanced download-sources`.
type DownloadSourcesOptions struct {
	Component string
	Request   prepare.DownloadRequest
}

func newCmdDownloadSources(a *app.App) *cobra.Command {
	var opts DownloadSourcesOptions
	cmd := &cobra.Command{
		Use:   "download-sources",
		Short: "Download the lookaside files listed in a directory's sources file",
		Long: `Read <dir>/sources and download every file it lists from the lookaside cache
into the output directory, verifying each hash. The lookaside comes from a
component's upstream distro (-p), or from --lookaside-uri (no project needed).`,
		Example: `  azldev advanced download-sources -p curl -d ./curl
  azldev advanced download-sources --lookaside-uri 'https://src.example.org/repo/pkgs/$pkg/$filename/$hashtype/$hash/$filename' --package curl`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if (opts.Component == "") == (opts.Request.Template == "") {
				return app.NewUsageError(cmd, errors.New("give exactly one of -p/--component and --lookaside-uri"))
			}
			return runDownloadSources(cmd.Context(), a, opts)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&opts.Component, "component", "p", "", "take the lookaside and package name from this component")
	f.StringVar(&opts.Request.Template, "lookaside-uri", "", "lookaside URI template ($pkg, $filename, $hashtype, $hash)")
	f.StringVar(&opts.Request.Package, "package", "", "package name for $pkg (default: the spec's name in the directory, else the directory name)")
	f.StringVarP(&opts.Request.Dir, "dir", "d", ".", "directory holding the sources file")
	f.StringVarP(&opts.Request.OutputDir, "output-dir", "o", "", "where to write the files (default: the same directory)")
	return cmd
}

func runDownloadSources(ctx context.Context, a *app.App, opts DownloadSourcesOptions) error {
	req := opts.Request
	if opts.Component != "" {
		r, err := a.Resolver()
		if err != nil {
			return err
		}
		if req.Component, err = r.Resolve(opts.Component); err != nil {
			return err
		}
		req.Resolver = r
	}
	pkg, dir, err := prepare.DownloadSources(ctx, a.Downloads(), req)
	if err != nil {
		return err
	}
	a.Log.Info("Downloaded sources", "package", pkg, "dir", dir)
	return nil
}
