package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/azlforge/azldev/internal/cli/app"
	"github.com/azlforge/azldev/internal/cli/cmd/advanced"
	"github.com/azlforge/azldev/internal/cli/cmd/component"
	"github.com/azlforge/azldev/internal/cli/cmd/configcmd"
	"github.com/azlforge/azldev/internal/cli/cmd/docs"
	"github.com/azlforge/azldev/internal/cli/cmd/image"
	"github.com/azlforge/azldev/internal/cli/cmd/packages"
	"github.com/azlforge/azldev/internal/cli/cmd/project"
	"github.com/azlforge/azldev/internal/cli/cmd/repo"
	"github.com/azlforge/azldev/internal/cli/cmd/version"
	"github.com/azlforge/azldev/internal/cli/output"
	"github.com/azlforge/azldev/internal/foundation/command"
)

// Execute runs the CLI with args and returns the process exit code. Every
// program started through ctx's runner (see command.WithRunner) is logged at
// debug level. When ctx was cancelled by an *Interrupted cause, it prints
// "Interrupted" and returns the signal's exit code.
func Execute(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	a := app.New(stdout, stderr)
	defer a.Close()
	runner := command.FromContext(ctx)
	runner.Observer = a.LogCommand
	root := NewRootCommand(a)
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(command.WithRunner(ctx, runner))
	if a.Log == nil {
		a.SetupLogging()
	}
	if intr := (*Interrupted)(nil); errors.As(context.Cause(ctx), &intr) {
		fmt.Fprintln(a.Stderr, "Interrupted")
		return intr.ExitCode()
	}
	if r := a.ResolverIfLoaded(); r != nil {
		for _, w := range r.Warnings() {
			a.Log.Warn(w)
		}
	}
	if err == nil {
		return 0
	}
	reportError(a, err)
	return 1
}

// reportError prints the error: its first line names where the problem is.
func reportError(a *app.App, err error) {
	msg := err.Error()
	first, rest, _ := strings.Cut(msg, "\n")
	a.Log.Error("Error: " + first)
	if rest != "" {
		fmt.Fprintln(a.Stderr, indent(rest))
	}
	var usage app.UsageError
	if errors.As(err, &usage) {
		fmt.Fprintf(a.Stderr, "Run '%s --help' for usage.\n", usage.Cmd)
	}
}

func indent(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = "  " + l
	}
	return strings.Join(lines, "\n")
}

// NewRootCommand builds the command tree.
func NewRootCommand(a *app.App) *cobra.Command {
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
			a.SetupLogging()
			if err := app.CheckFormat(cmd, a.Opts.OutputFormat); err != nil {
				return app.NewUsageError(cmd, err)
			}
			if !slices.Contains([]string{"auto", "always", "never"}, a.Opts.Color) {
				return app.NewUsageError(cmd, fmt.Errorf("invalid --color %q (want auto, always or never)", a.Opts.Color))
			}
			a.Opts.NetworkRetries = max(a.Opts.NetworkRetries, 1)
			return nil
		},
	}
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return app.NewUsageError(cmd, err)
	})
	addGlobalFlags(root, &a.Opts)
	root.AddCommand(
		version.NewCmd(a),
		configcmd.NewCmd(a),
		component.NewCmd(a),
		packages.NewCmd(a),
		image.NewCmd(a),
		advanced.NewCmd(a, NewRootCommand),
		project.NewCmd(a),
		docs.NewCmd(a),
		repo.NewCmd(a),
	)
	a.RegisterCompletions(root)
	return root
}

func addGlobalFlags(root *cobra.Command, o *app.GlobalOptions) {
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
	_ = root.RegisterFlagCompletionFunc("output-format", app.FixedCompletion(output.Formats...))
	_ = root.RegisterFlagCompletionFunc("color", app.FixedCompletion("auto", "always", "never"))
}

// Main is the entry point used by cmd/azldev. SIGINT and SIGTERM cancel
// the running command (see handleSignals).
func Main() {
	runner := &command.Runner{}
	ctx, stop := handleSignals(command.WithRunner(context.Background(), runner), runner)
	stopProfile := startProfile(os.Getenv("AZLDEV_CPUPROFILE"))
	code := Execute(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stopProfile()
	stop()
	os.Exit(code)
}

// startProfile writes a CPU profile of the whole run to path (for `go tool
// pprof`) when path is set, and returns the function that finishes it.
func startProfile(path string) func() {
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, "AZLDEV_CPUPROFILE:", err)
		return func() {}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		fmt.Fprintln(os.Stderr, "AZLDEV_CPUPROFILE:", err)
		f.Close()
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}
