package backend

import (
	"context"
	"io"

	"github.com/azlforge/azldev/internal/foundation/command"
)

// Shell opens a shell in the chroot of m's configuration, or runs command
// in it (mock --shell), on the given standard streams; network gives the
// chroot network access.
func (m Mock) Shell(ctx context.Context, network bool, cmd []string, stdin io.Reader, stdout, stderr io.Writer) error {
	args := m.baseArgs()
	if network {
		args = append(args, "--enable-network")
	}
	args = append(args, "--shell")
	if len(cmd) > 0 {
		args = append(append(args, "--"), cmd...)
	}
	_, err := command.Run(ctx, command.Cmd{Program: "mock", Args: args, Stdin: stdin, Stdout: stdout, Stderr: stderr})
	return err
}
