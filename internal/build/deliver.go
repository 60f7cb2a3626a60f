package build

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"

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
