// Package mock runs mock, the chroot builder, with the arguments every
// azldev call of it shares: rebuilding source RPMs and opening a shell in
// the project distro's chroot.
package mock

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/azlforge/azldev/internal/config"
	"github.com/azlforge/azldev/internal/foundation/command"
	"github.com/azlforge/azldev/internal/resolve"
)

// Chroot runs mock with one configuration.
type Chroot struct {
	Config  string // the mock configuration file (-r); its directory is --configdir
	Verbose bool   // --verbose instead of --quiet
	DryRun  bool   // log the command instead of running it
	Log     *slog.Logger
	Stdin   io.Reader
	Stdout  io.Writer
	Stderr  io.Writer
}

// ProjectConfig returns the mock configuration of the project's default
// distro version.
func ProjectConfig(cfg *config.Config) (string, error) {
	d := resolve.LookupDistro(cfg, cfg.Project.DefaultDistro)
	if d.Version == nil || d.Version.MockConfig == "" {
		return "", fmt.Errorf("mock config required: the project's default distro %q version %q sets no mock-config (or give --config)",
			d.Ref.Name, d.VersionName)
	}
	return d.Version.MockConfig, nil
}

// Rebuild builds binary RPMs from source RPMs into resultDir, which it
// creates (mock --rebuild).
func (c Chroot) Rebuild(ctx context.Context, srpms []string, resultDir string, noCheck bool) error {
	if len(srpms) == 0 {
		return errors.New("no source RPMs to rebuild")
	}
	for _, s := range srpms {
		if st, err := os.Stat(s); err != nil || !st.Mode().IsRegular() {
			return fmt.Errorf("source RPM %s: not a readable file", s)
		}
	}
	if !c.DryRun {
		if err := os.MkdirAll(resultDir, 0o755); err != nil {
			return err
		}
	}
	args := []string{"--resultdir", resultDir}
	if noCheck {
		args = append(args, "--nocheck")
	}
	return c.run(ctx, append(append(args, "--rebuild"), srpms...)...)
}

// Shell opens a shell in the chroot, or runs command in it (mock --shell).
func (c Chroot) Shell(ctx context.Context, network bool, command []string) error {
	var args []string
	if network {
		args = append(args, "--enable-network")
	}
	args = append(args, "--shell")
	if len(command) > 0 {
		args = append(append(args, "--"), command...)
	}
	return c.run(ctx, args...)
}

// run runs mock with the common arguments, then args.
func (c Chroot) run(ctx context.Context, args ...string) error {
	level := "--quiet"
	if c.Verbose {
		level = "--verbose"
	}
	args = append([]string{level, "-r", c.Config, "--configdir", filepath.Dir(c.Config)}, args...)
	if c.DryRun {
		c.Log.Info("Dry run; would exec", "command", "mock "+strings.Join(args, " "))
		return nil
	}
	_, err := command.Run(ctx, command.Cmd{Program: "mock", Args: args, Stdin: c.Stdin, Stdout: c.Stdout, Stderr: c.Stderr})
	return err
}
