package cli

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/azlforge/azldev/internal/foundation/command"
)

// Interrupted is the cancellation cause of the root context when SIGINT or
// SIGTERM arrives.
type Interrupted struct{ Signal syscall.Signal }

func (i *Interrupted) Error() string { return "interrupted by " + i.Signal.String() }

// ExitCode is 128 plus the signal number, as shells report it.
func (i *Interrupted) ExitCode() int { return 128 + int(i.Signal) }

// handleSignals returns a context cancelled, with an *Interrupted cause, by
// the first SIGINT or SIGTERM: running programs are then stopped through
// their contexts and deferred cleanups run as commands return. A second
// signal kills the programs started through runner and exits at once.
// stop ends the handling.
func handleSignals(parent context.Context, runner *command.Runner) (ctx context.Context, stop func()) {
	ctx, cancel := context.WithCancelCause(parent)
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case sig := <-sigs:
			cancel(&Interrupted{Signal: sig.(syscall.Signal)})
		case <-done:
			return
		}
		select {
		case sig := <-sigs:
			runner.Kill()
			os.Exit((&Interrupted{Signal: sig.(syscall.Signal)}).ExitCode())
		case <-done:
		}
	}()
	return ctx, func() {
		signal.Stop(sigs)
		close(done)
		cancel(nil)
	}
}
