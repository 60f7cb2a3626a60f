package backend

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/azlforge/azldev/internal/foundation/command"
)

// Mock builds in a chroot of the project's mock configuration: `mock
// --buildsrpm` from the prepared sources, then `mock --rebuild` of the
// SRPM. Each component gets its own chroot (--uniqueext), so builds can run
// side by side; local repositories are added to it (--addrepo).
type Mock struct {
	Config     string   // the mock configuration file; its directory is --configdir
	ConfigOpts []string // KEY=VALUE, each passed as --config-opts
	Preserve   Preserve // when the chroot is kept after --rebuild
	Verbose    bool     // --verbose instead of --quiet
}

// Name implements Backend.
func (Mock) Name() string { return MockName }

// SRPM implements Backend.
func (m Mock) SRPM(ctx context.Context, req Request) (string, error) {
	out := filepath.Join(req.WorkDir, "srpm")
	if err := m.run(ctx, req, m.srpmArgs(req, out), out); err != nil {
		return "", err
	}
	return oneSRPM(out)
}

// RPMs implements Backend.
func (m Mock) RPMs(ctx context.Context, req Request, srpm string) ([]string, error) {
	out := filepath.Join(req.WorkDir, "rpms")
	if err := m.run(ctx, req, m.rebuildArgs(req, srpm, out), out); err != nil {
		return nil, err
	}
	rpms, err := findPackages(out, false)
	if err == nil && len(rpms) == 0 {
		err = errNoPackages
	}
	return rpms, err
}

// run runs mock with its result directory out; when it fails, mock's own
// logs from out are appended to the build log.
func (m Mock) run(ctx context.Context, req Request, args []string, out string) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	err := run(ctx, req.Log, command.Cmd{Program: "mock", Args: args})
	if err != nil {
		appendLogs(req.Log, out, "root.log", "build.log")
	}
	return err
}

// srpmArgs builds the source package of req into out.
func (m Mock) srpmArgs(req Request, out string) []string {
	return append(m.commonArgs(req), "--resultdir", out, "--buildsrpm", "--spec", req.Spec(), "--sources", req.SourcesDir)
}

// rebuildArgs rebuilds srpm into binary packages in out.
func (m Mock) rebuildArgs(req Request, srpm, out string) []string {
	args := append(m.commonArgs(req), m.cleanupArgs()...)
	if req.NoCheck {
		args = append(args, "--nocheck")
	}
	return append(args, "--resultdir", out, "--rebuild", srpm)
}

// commonArgs start every mock call: verbosity, the configuration, the
// component's chroot, overrides, local repositories and the macros of
// reproducible builds.
func (m Mock) commonArgs(req Request) []string {
	args := append(m.baseArgs(), "--uniqueext", req.Component)
	for _, o := range m.ConfigOpts {
		args = append(args, "--config-opts", o)
	}
	for _, r := range req.LocalRepos {
		args = append(args, "--addrepo", "file://"+r)
	}
	return append(args, defineArgs(reproducible...)...)
}

// baseArgs start every mock call: verbosity and the configuration.
func (m Mock) baseArgs() []string {
	verbosity := "--quiet"
	if m.Verbose {
		verbosity = "--verbose"
	}
	return []string{verbosity, "-r", m.Config, "--configdir", filepath.Dir(m.Config)}
}

// cleanupArgs keep the chroot as Preserve says.
func (m Mock) cleanupArgs() []string {
	switch m.Preserve {
	case PreserveAlways:
		return []string{"--no-cleanup-after"}
	case PreserveNever:
		return []string{"--cleanup-after"}
	}
	return []string{"--config-opts", "cleanup_on_success=True", "--config-opts", "cleanup_on_failure=False"}
}

// appendLogs copies the named log files of dir, those that exist, to log.
func appendLogs(log io.Writer, dir string, names ...string) {
	for _, n := range names {
		data, err := os.ReadFile(filepath.Join(dir, n))
		if err == nil {
			fmt.Fprintf(log, "==> %s <==\n%s\n", filepath.Join(dir, n), data)
		}
	}
}
