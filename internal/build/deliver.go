package build

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"

	"github.com/azlforge/azldev/internal/build/localrepo"
	"github.com/azlforge/azldev/internal/foundation/atomicfile"
	"github.com/azlforge/azldev/internal/foundation/command"
	"github.com/azlforge/azldev/internal/foundation/safepath"
	"github.com/azlforge/azldev/internal/resolve"
)

// noChannel is the reserved channel of packages that are not published.
const noChannel = "none"

// deliver moves the packages into the output directory — the SRPM to
// srpms/, each RPM to rpms/<its channel>/ (rpms/ when the channel is empty
// or none) — and records them in row.
func (b *Builder) deliver(ctx context.Context, c *resolve.Component, srpm string, rpms []string, row *Row) error {
	names, err := packageNames(ctx, rpms)
	if err != nil {
		return err
	}
	dst, err := moveInto(srpm, filepath.Join(b.Opts.OutputDir, "srpms"))
	if err != nil {
		return err
	}
	row.SRPMPaths, row.SRPMPublishChannel = []string{dst}, c.Config.Publish.SRPMChannel
	for i, rpm := range rpms {
		channel := b.Channels.RPMChannel(c, names[i])
		dir := filepath.Join(b.Opts.OutputDir, "rpms")
		if channel != "" && channel != noChannel {
			if err := safepath.CheckFileName(channel); err != nil {
				return fmt.Errorf("publish channel of %s: %w", names[i], err)
			}
			dir = filepath.Join(dir, channel)
		}
		if dst, err = moveInto(rpm, dir); err != nil {
			return err
		}
		row.RPMPaths, row.RPMChannels = append(row.RPMPaths, dst), append(row.RPMChannels, channel)
		row.RPMs = append(row.RPMs, RPM{Path: dst, PackageName: names[i], PublishChannel: channel})
	}
	return nil
}

// packageNames returns the package name of each RPM file, as rpm reads it.
func packageNames(ctx context.Context, rpms []string) ([]string, error) {
	if len(rpms) == 0 {
		return nil, nil
	}
	args := append([]string{"-qp", "--nosignature", "--nodigest", "--qf", "%{NAME}\\n"}, rpms...)
	out, err := command.Run(ctx, command.Cmd{Program: "rpm", Args: args, Env: []string{"LC_ALL=C"}})
	if err != nil {
		return nil, err
	}
	names := strings.Fields(string(out))
	if len(names) != len(rpms) {
		return nil, fmt.Errorf("rpm named %d packages for %d files", len(names), len(rpms))
	}
	return names, nil
}

// moveInto moves file into dir (created if needed), replacing a file of the
// same name at once, and returns its new path. Across file systems it copies
// to a temporary file first.
func moveInto(file, dir string) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	dst := filepath.Join(dir, filepath.Base(file))
	err := os.Rename(file, dst)
	if errors.Is(err, syscall.EXDEV) {
		err = copyFile(file, dst)
	}
	return dst, err
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	return atomicfile.Write(dst, 0o644, func(w io.Writer) error {
		_, err := io.Copy(w, in)
		return err
	})
}

// publish adds rpms to the publish repository.
func (b *Builder) publish(ctx context.Context, rpms []string) error {
	if err := localrepo.Publish(ctx, b.Opts.PublishRepo, rpms); err != nil {
		return fmt.Errorf("publishing to %s: %w", b.Opts.PublishRepo, err)
	}
	return nil
}

// checkRepos checks the local repositories before anything is built, and
// gives the publish repository metadata when it has none yet, so that
// builds can take packages from it too. It returns every repository builds
// take packages from, and sets PublishRepo to its absolute path.
func (b *Builder) checkRepos(ctx context.Context) ([]string, error) {
	out, err := localrepo.Abs(b.Opts.OutputDir)
	if err != nil {
		return nil, err
	}
	repos, err := absAll(b.Opts.LocalRepos)
	if err != nil {
		return nil, err
	}
	publish := ""
	if b.Opts.PublishRepo != "" {
		if publish, err = localrepo.Abs(b.Opts.PublishRepo); err != nil {
			return nil, err
		}
		if slices.Contains(repos, publish) {
			return nil, fmt.Errorf("local repository %s is given both with --local-repo and --local-repo-with-publish; builds read the published repository already", publish)
		}
	}
	for _, r := range repos {
		if err := errors.Join(localrepo.CheckOutside(r, out), localrepo.Check(r)); err != nil {
			return nil, err
		}
	}
	if publish == "" {
		return repos, nil
	}
	if err := errors.Join(localrepo.CheckOutside(publish, out), localrepo.CheckPublish(publish)); err != nil {
		return nil, err
	}
	b.Opts.PublishRepo = publish
	return append(repos, publish), localrepo.Publish(ctx, publish, nil)
}

func absAll(dirs []string) ([]string, error) {
	out := make([]string, len(dirs))
	for i, d := range dirs {
		abs, err := localrepo.Abs(d)
		if err != nil {
			return nil, err
		}
		out[i] = abs
	}
	return out, nil
}

// summary is a failure in a line or a few: the failure of a program inside
// err is shortened to the end of its standard error (the log has it all).
func summary(err error) string {
	var e *command.Error
	if !errors.As(err, &e) || e.ExitCode < 0 {
		return err.Error()
	}
	short := fmt.Sprintf("%s failed (exit status %d)", e.Program, e.ExitCode)
	if tail := lastLines(e.Stderr, 3); tail != "" {
		short += ": " + tail
	}
	return strings.Replace(err.Error(), e.Error(), short, 1)
}

// lastLines joins the last n non-blank lines of s with "; ".
func lastLines(s string, n int) string {
	var lines []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines[max(len(lines)-n, 0):], "; ")
}
