package advanced

import (
	"context"
	"errors"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/azlforge/azldev/internal/cli/app"
	"github.com/azlforge/azldev/internal/mock"
)

// MockOptions are the options shared by the `advanced mock` verbs.
type MockOptions struct {
	Config string // mock configuration file; "" is the project distro's
}

func newCmdMock(a *app.App) *cobra.Command {
	var opts MockOptions
	cmd := &cobra.Command{
		Use:   "mock",
		Short: "Run mock in the project distro's chroot",
		Long: `Thin wrappers of mock with the project's default distro version's mock
configuration (or --config). Every call is
mock --quiet (--verbose with -v) -r <config> --configdir <its directory> ...
Needs mock and membership of the mock group.`,
	}
	cmd.PersistentFlags().StringVar(&opts.Config, "config", "", "mock configuration file (default: the project distro's mock-config)")
	cmd.AddCommand(newCmdMockBuildRPMs(a, &opts), newCmdMockShell(a, &opts))
	return cmd
}

// MockBuildOptions are the options of `advanced mock build-rpms`.
type MockBuildOptions struct {
	SRPMs     []string
	OutputDir string
	NoCheck   bool
}

func newCmdMockBuildRPMs(a *app.App, common *MockOptions) *cobra.Command {
	var opts MockBuildOptions
	cmd := &cobra.Command{
		Use:     "build-rpms SRPM...",
		Short:   "Rebuild source RPMs into binary RPMs (mock --rebuild)",
		Example: `  azldev advanced mock build-rpms out/srpms/hello-1.0-1.azl4.src.rpm -o /tmp/rpms`,
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.SRPMs = args
			return runMockBuildRPMs(cmd.Context(), a, *common, opts)
		},
	}
	cmd.Flags().StringVarP(&opts.OutputDir, "output-dir", "o", "", "where mock puts the RPMs and logs (default: <output-dir>/rpms of the project)")
	cmd.Flags().BoolVar(&opts.NoCheck, "no-check", false, "skip %check (mock --nocheck)")
	return cmd
}

func runMockBuildRPMs(ctx context.Context, a *app.App, common MockOptions, opts MockBuildOptions) error {
	chroot, err := mockChroot(a, common)
	if err != nil {
		return err
	}
	out := opts.OutputDir
	if out == "" {
		cfg, err := a.Project()
		if err != nil {
			return errors.New("give -o/--output-dir, or run in a project")
		}
		out = filepath.Join(cfg.Project.OutputDir, "rpms")
	}
	return chroot.Rebuild(ctx, opts.SRPMs, out, opts.NoCheck)
}

// MockShellOptions are the options of `advanced mock shell`.
type MockShellOptions struct {
	Network bool
	Command []string
}

func newCmdMockShell(a *app.App, common *MockOptions) *cobra.Command {
	var opts MockShellOptions
	cmd := &cobra.Command{
		Use:   "shell [-- COMMAND...]",
		Short: "Open a shell in the chroot, or run a command in it (mock --shell)",
		Example: `  azldev advanced mock shell
  azldev advanced mock shell --enable-network -- rpm -q bash`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Command = args
			chroot, err := mockChroot(a, *common)
			if err != nil {
				return err
			}
			return chroot.Shell(cmd.Context(), opts.Network, opts.Command)
		},
	}
	cmd.Flags().BoolVar(&opts.Network, "enable-network", false, "give the chroot network access")
	return cmd
}

// mockChroot is the chroot of --config, else of the project distro.
func mockChroot(a *app.App, opts MockOptions) (mock.Chroot, error) {
	c := mock.Chroot{Config: opts.Config, Verbose: a.Opts.Verbose, DryRun: a.Opts.DryRun, Log: a.Log,
		Stdin: os.Stdin, Stdout: a.Stdout, Stderr: a.Stderr}
	if c.Config != "" {
		abs, err := filepath.Abs(c.Config)
		c.Config = abs
		return c, err
	}
	cfg, err := a.Project()
	if err != nil {
		return c, err
	}
	c.Config, err = mock.ProjectConfig(cfg)
	return c, err
}
