package advanced

import (
	"context"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/azlforge/azldev/internal/cli/app"
	"github.com/azlforge/azldev/internal/cli/cmd/version"
	"github.com/azlforge/azldev/internal/cli/mcpserver"
)

func newCmdMCP(a *app.App, newRoot mcpserver.NewRoot) *cobra.Command {
	return &cobra.Command{
		Use:   "mcp",
		Short: "Serve the read-only commands as Model Context Protocol tools on standard input and output",
		Long: `Run an MCP server over stdio whose tools are the read-only commands:
component_list, component_changed, component_history, component_query, component_render_check
(render --check-only), package_list, image_list and config_dump. Each call
runs the command with JSON output, with this invocation's -C,
--config-file, --permissive-config and --no-default-config; a command's
error is the tool's error. Logs go to standard error.`,
		Example: `  azldev -C ~/src/azurelinux advanced mcp`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runMCP(cmd.Context(), a, newRoot)
		},
	}
}

func runMCP(ctx context.Context, a *app.App, newRoot mcpserver.NewRoot) error {
	global, err := globalArgs(a.Opts)
	if err != nil {
		return err
	}
	a.Log.Info("Serving MCP on standard input and output")
	return mcpserver.Serve(ctx, os.Stdin, nopCloser{a.Stdout}, mcpserver.Options{NewRoot: newRoot, Global: global, Version: version.Version})
}

// globalArgs are the options of this invocation that choose the project
// and its configuration, with paths made absolute.
func globalArgs(o app.GlobalOptions) ([]string, error) {
	var args []string
	if o.Project != "" {
		p, err := filepath.Abs(o.Project)
		if err != nil {
			return nil, err
		}
		args = append(args, "--project="+p)
	}
	for _, f := range o.ConfigFiles {
		p, err := filepath.Abs(f)
		if err != nil {
			return nil, err
		}
		args = append(args, "--config-file="+p)
	}
	if o.Permissive {
		args = append(args, "--permissive-config")
	}
	if o.NoDefaultConfig {
		args = append(args, "--no-default-config")
	}
	return args, nil
}

// nopCloser leaves the writer open when the server is done with it.
type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }
