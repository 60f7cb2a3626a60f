package cli

import (
	"bytes"
	"context"
	"io"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/azlforge/azldev/internal/foundation/command"
)

func TestExecuteInterrupted(t *testing.T) {
	for sig, want := range map[syscall.Signal]int{syscall.SIGINT: 130, syscall.SIGTERM: 143} {
		ctx, cancel := context.WithCancelCause(context.Background())
		cancel(&Interrupted{Signal: sig})
		var stderr bytes.Buffer
		if code := Execute(ctx, []string{"version"}, io.Discard, &stderr); code != want || !strings.Contains(stderr.String(), "Interrupted") {
			t.Errorf("%v: exit %d, stderr %q", sig, code, stderr.String())
		}
	}
}

func TestFirstSignalCancels(t *testing.T) {
	ctx, stop := handleSignals(context.Background(), &command.Runner{})
	defer stop()
	if err := syscall.Kill(os.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-ctx.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("SIGTERM did not cancel the context")
	}
	intr, ok := context.Cause(ctx).(*Interrupted)
	if !ok || intr.Signal != syscall.SIGTERM || intr.ExitCode() != 143 {
		t.Errorf("cause %v", context.Cause(ctx))
	}
}
