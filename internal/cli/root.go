package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/azlforge/azldev/internal/cli/output"
)

// Execute runs the CLI with args and returns the process exit code.
func Execute(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	app := NewApp(stdout, stderr)
	defer app.Close()
	root := NewRootCommand(app)
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if app.Log == nil {
		app.setupLogging()
	}
	if app.resolver != nil {
		for _, w := range app.resolver.Warnings() {
			app.Log.Warn(w)
		}
	}
	if err == nil {
		return 0
	}
	reportError(app, err)
	return 1
}

// reportError prints the error: its first line names where the problem is.
func reportError(app *App, err error) {
	msg := err.Error()
	first, rest, _ := strings.Cut(msg, "\n")
	app.Log.Error("Error: " + first)
	if rest != "" {
		fmt.Fprintln(app.Stderr, indent(rest))
	}
	var usage usageError
	if errors.As(err, &usage) {
		fmt.Fprintf(app.Stderr, "Run '%s --help' for usage.\n", usage.cmd)
	}
}

func indent(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = "  " + l
	}
	return strings.Join(lines, "\n")
}

// usageError marks errors in how a command was called.
type usageError struct {
	cmd string
	err error
}

func (u usageError) Error() string { return u.err.Error() }
func (u usageError) Unwrap() error { return u.err }

// NewRootCommand builds the command tree.
func NewRootCommand(app *App) *cobra.Command {
	root := &cobra.Command{
		Use:   "azldev",
		Short: "Define and produce an RPM-based Linux distribution from declarative configuration",
		Long: `azldev resolves a distribution's TOML configuration (distros, components,
overlays, images and package groups), fetches upstream sources, applies
overlays, renders specs and builds packages and images.`,
		SilenceUsage:      true,
		SilenceErrors:     true,
		CompletionOptions: cobra.CompletionOptions{HiddenDefaultCmd: false},
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			app.setupLogging()
			if _, err := output.ParseFormat(app.Opts.OutputFormat); err != nil {
				return usageError{cmd.CommandPath(), err}
			}
			if !slices.Contains([]string{"auto", "always", "never"}, app.Opts.Color) {
				return usageError{cmd.CommandPath(), fmt.Errorf("invalid --color %q (want auto, always or never)", app.Opts.Color)}
			}
			app.Opts.NetworkRetries = max(app.Opts.NetworkRetries, 1)
			return nil
		},
	}
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return usageError{cmd.CommandPath(), err}
	})
	addGlobalFlags(root, &app.Opts)
	root.AddCommand(
		newVersionCommand(app),
		newConfigCommand(app),
		newComponentCommand(app),
		newPackageCommand(app),
		newImageCommand(app),
		newAdvancedCommand(app),
	)
	return root
}

func addGlobalFlags(root *cobra.Command, o *GlobalOptions) {
	f := root.PersistentFlags()
	f.StringVarP(&o.Project, "project", "C", "", "project directory (default: search upwards from the working directory)")
	f.StringArrayVar(&o.ConfigFiles, "config-file", nil, "extra configuration file, loaded last (repeatable)")
	f.BoolVar(&o.Permissive, "permissive-config", false, "warn about unknown configuration keys instead of failing")
	f.BoolVar(&o.NoDefaultConfig, "no-default-config", false, "do not load the built-in default configuration")
	f.StringVarP(&o.OutputFormat, "output-format", "O", "table", "output format: "+strings.Join(output.Formats, ", "))
	f.BoolVarP(&o.Quiet, "quiet", "q", false, "only log warnings and errors")
	f.BoolVarP(&o.Verbose, "verbose", "v", false, "log debug messages (wins over --quiet)")
	f.BoolVarP(&o.DryRun, "dry-run", "n", false, "skip downloads and lock-file writes, logging what would happen")
	f.BoolVarP(&o.AcceptAll, "accept-all", "y", false, "answer yes to every prompt")
	f.StringVar(&o.Color, "color", "auto", "color output: auto, always or never (NO_COLOR is honored)")
	f.IntVar(&o.NetworkRetries, "network-retries", 3, "attempts for each network operation (values below 1 mean 1)")
	_ = root.RegisterFlagCompletionFunc("output-format", fixedCompletion(output.Formats...))
	_ = root.RegisterFlagCompletionFunc("color", fixedCompletion("auto", "always", "never"))
}

func fixedCompletion(values ...string) func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return values, cobra.ShellCompDirectiveNoFileComp
	}
}

// Main is the entry point used by cmd/azldev.
func Main() {
	os.Exit(Execute(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}
