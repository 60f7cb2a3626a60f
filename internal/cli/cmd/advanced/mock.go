package advanced

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/azlforge/azldev/internal/build/backend"
	"github.com/azlforge/azldev/internal/cli/app"
	"github.com/azlforge/azldev/internal/cli/output"
	"github.com/azlforge/azldev/internal/resolve"
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
configuration (or --config), as component build runs it: every call starts
with --quiet (--verbose with -v) -r <config> --configdir <its directory>.
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
		Use:   "build-rpms SRPM...",
		Short: "Rebuild source RPMs into binary RPMs (mock --rebuild)",
		Long: `Rebuild each source RPM in its own chroot (named after the package, as
component build names it), with component build's mock arguments; the RPMs
and mock's logs go to <output-dir>/rpms.`,
		Example: `  azldev advanced mock build-rpms out/srpms/hello-1.0-1.azl4.src.rpm -o /tmp/hello`,
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.SRPMs = args
			return runMockBuildRPMs(cmd.Context(), a, *common, opts)
		},
	}
	cmd.Flags().StringVarP(&opts.OutputDir, "output-dir", "o", "", "directory for rpms/ (default: the project's output directory)")
	cmd.Flags().BoolVar(&opts.NoCheck, "no-check", false, "skip %check (mock --nocheck)")
	return cmd
}

func runMockBuildRPMs(ctx context.Context, a *app.App, common MockOptions, opts MockBuildOptions) error {
	m, err := mockBackend(a, common)
	if err != nil {
		return err
	}
	out, err := buildOutputDir(a, opts.OutputDir)
	if err != nil {
		return err
	}
	var rpms []string
	for _, srpm := range opts.SRPMs {
		if st, err := os.Stat(srpm); err != nil || !st.Mode().IsRegular() {
			return fmt.Errorf("source RPM %s: not a readable file", srpm)
		}
		if a.Opts.DryRun {
			a.Log.Info("Dry run; would rebuild with mock", "srpm", srpm, "config", m.Config, "resultdir", filepath.Join(out, "rpms"))
			continue
		}
		abs, err := filepath.Abs(srpm)
		if err != nil {
			return err
		}
		req := backend.Request{Component: srpmName(srpm), WorkDir: out, NoCheck: opts.NoCheck, Log: a.Stderr}
		if rpms, err = m.RPMs(ctx, req, abs); err != nil {
			return fmt.Errorf("%s: %w", srpm, err)
		}
	}
	return writeRPMs(a, rpms)
}

// buildOutputDir is dir, else the project's output directory.
func buildOutputDir(a *app.App, dir string) (string, error) {
	if dir != "" {
		return filepath.Abs(dir)
	}
	cfg, err := a.Project()
	if err != nil {
		return "", errors.New("give -o/--output-dir, or run in a project")
	}
	return cfg.Project.OutputDir, nil
}

// srpmName is the package name of a source RPM file name
// (name-version-release.src.rpm), or the file name when it has no such form.
func srpmName(path string) string {
	name := strings.TrimSuffix(filepath.Base(path), ".src.rpm")
	for range 2 {
		if i := strings.LastIndexByte(name, '-'); i > 0 {
			name = name[:i]
		}
	}
	return name
}

// writeRPMs prints the binary packages in the result directory.
func writeRPMs(a *app.App, rpms []string) error {
	out, err := a.Output()
	if err != nil {
		return err
	}
	rows := output.Rows{Columns: []string{"RPM"}}
	for _, r := range rpms {
		rows.Rows = append(rows.Rows, []string{r})
	}
	if rpms == nil {
		rpms = []string{}
	}
	return out.Write(rpms, rows)
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
			return runMockShell(cmd.Context(), a, *common, opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Network, "enable-network", false, "give the chroot network access")
	return cmd
}

func runMockShell(ctx context.Context, a *app.App, common MockOptions, opts MockShellOptions) error {
	m, err := mockBackend(a, common)
	if err != nil {
		return err
	}
	if a.Opts.DryRun {
		a.Log.Info("Dry run; would open a mock shell", "config", m.Config, "command", strings.Join(opts.Command, " "))
		return nil
	}
	return m.Shell(ctx, opts.Network, opts.Command, os.Stdin, a.Stdout, a.Stderr)
}

// mockBackend is component build's mock backend with --config, else with
// the project distro's mock configuration.
func mockBackend(a *app.App, opts MockOptions) (backend.Mock, error) {
	m := backend.Mock{Config: opts.Config, Verbose: a.Opts.Verbose}
	if m.Config == "" {
		cfg, err := a.Project()
		if err != nil {
			return m, err
		}
		d := resolve.LookupDistro(cfg, cfg.Project.DefaultDistro)
		if m.Config = d.MockConfig(); m.Config == "" {
			return m, fmt.Errorf("mock config required: the project's default distro %q version %q sets no mock-config (or give --config)", d.Ref.Name, d.VersionName)
		}
	}
	abs, err := filepath.Abs(m.Config)
	m.Config = abs
	return m, err
}
