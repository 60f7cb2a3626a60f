// Package command runs external programs (git, and later rpmbuild, mock,
// createrepo_c, kiwi, qemu). Every program runs in its own process group
// that is terminated as a whole when the context is cancelled; its standard
// error is captured and carried, with the exit status, in the returned
// *Error, and a missing program is reported with how to install it.
package command

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"time"
)

// Cmd is one invocation of a program.
type Cmd struct {
	Program string   // the program, looked up in PATH unless it contains a slash
	Args    []string // its arguments, without the program name
	Dir     string   // working directory; "" is the current one
	Env     []string // KEY=VALUE entries added to the process environment
	Stdin   io.Reader
	// Stdout receives the standard output as it is produced; when nil, it
	// is captured and returned by Run.
	Stdout io.Writer
	// Stderr, when set, also receives the standard error as it is produced
	// (a build log, say); the error still carries its end. It may be
	// written concurrently with Stdout (an *os.File is safe for that).
	Stderr io.Writer
}

// Invocation describes a program about to be started, as seen by an Observer.
type Invocation struct {
	Program string
	Args    []string
	Dir     string
	Env     []string // the additions only
}

// DefaultWaitDelay is how long a cancelled program may take to exit after
// SIGTERM, and how long its output pipes may stay open after it exited,
// before it is killed and the pipes are closed.
const DefaultWaitDelay = 3 * time.Second

// stderrLimit bounds the standard error kept for errors (its end is kept).
const stderrLimit = 64 << 10

// Runner starts programs. The zero value is ready to use; a Runner is safe
// for concurrent use and must not be copied.
type Runner struct {
	// Observer, when set, is called before each program starts: a hook for
	// logging commands (e.g. in dry runs) and for tests to record them.
	Observer func(Invocation)
	// WaitDelay replaces DefaultWaitDelay when positive.
	WaitDelay time.Duration

	mu      sync.Mutex
	running map[int]bool // process groups of running programs
}

type runnerKey struct{}

// WithRunner returns a context whose programs run through r (see Run).
func WithRunner(ctx context.Context, r *Runner) context.Context {
	return context.WithValue(ctx, runnerKey{}, r)
}

// FromContext returns the runner attached by WithRunner, or a zero Runner.
func FromContext(ctx context.Context) *Runner {
	if r, ok := ctx.Value(runnerKey{}).(*Runner); ok && r != nil {
		return r
	}
	return &Runner{}
}

// LookPath reports, as a *NotFoundError, when program is not installed.
func LookPath(program string) error {
	if _, err := exec.LookPath(program); err != nil {
		return &NotFoundError{Program: program}
	}
	return nil
}

// Run runs c with the context's runner (see FromContext).
func Run(ctx context.Context, c Cmd) ([]byte, error) {
	return FromContext(ctx).Run(ctx, c)
}

// Run starts c, waits for it and returns its captured standard output (nil
// when c.Stdout is set). A failure is an *Error (wrapping ctx's error when
// the context ended the program, or exec.ErrNotFound when the program is
// missing); the output gathered so far is returned with it.
func (r *Runner) Run(ctx context.Context, c Cmd) ([]byte, error) {
	if r.Observer != nil {
		r.Observer(Invocation{Program: c.Program, Args: c.Args, Dir: c.Dir, Env: c.Env})
	}
	var stdout bytes.Buffer
	stderr := &tailBuffer{limit: stderrLimit}
	cmd := r.command(ctx, c, stderr)
	if c.Stdout == nil {
		cmd.Stdout = &stdout
	}
	err := r.wrap(ctx, c, r.run(ctx, cmd), stderr)
	if c.Stdout != nil {
		return nil, err
	}
	return stdout.Bytes(), err
}

// command builds the exec.Cmd of c in a new process group whose
// cancellation terminates the whole group.
func (r *Runner) command(ctx context.Context, c Cmd, stderr io.Writer) *exec.Cmd {
	cmd := exec.CommandContext(ctx, c.Program, c.Args...)
	cmd.Dir = c.Dir
	if len(c.Env) > 0 {
		cmd.Env = append(os.Environ(), c.Env...)
	}
	cmd.Stdin, cmd.Stdout, cmd.Stderr = c.Stdin, c.Stdout, stderr
	if c.Stderr != nil {
		cmd.Stderr = io.MultiWriter(stderr, c.Stderr)
	}
	cmd.SysProcAttr = sysProcAttr()
	cmd.Cancel = func() error { return signalGroup(cmd, syscall.SIGTERM) }
	cmd.WaitDelay = r.waitDelay()
	return cmd
}

// run runs cmd. When ctx ended it, or when its output stayed open after it
// exited, it then kills what is left of its process group: children that
// ignored SIGTERM or outlived the leader.
func (r *Runner) run(ctx context.Context, cmd *exec.Cmd) error {
	if err := cmd.Start(); err != nil {
		return err
	}
	r.track(cmd.Process.Pid, true)
	err := cmd.Wait()
	r.track(cmd.Process.Pid, false)
	if ctx.Err() != nil || errors.Is(err, exec.ErrWaitDelay) {
		_ = signalGroup(cmd, syscall.SIGKILL)
	}
	return err
}

// track records that the process group pgid started or ended.
func (r *Runner) track(pgid int, running bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.running == nil {
		r.running = map[int]bool{}
	}
	if running {
		r.running[pgid] = true
	} else {
		delete(r.running, pgid)
	}
}

// Kill sends SIGKILL to the process groups of all programs running through
// r, for a process about to exit at once (their Run calls then fail).
func (r *Runner) Kill() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for pgid := range r.running {
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
	}
}

// signalGroup sends sig to the process group led by cmd's process.
func signalGroup(cmd *exec.Cmd, sig syscall.Signal) error {
	err := syscall.Kill(-cmd.Process.Pid, sig)
	if errors.Is(err, syscall.ESRCH) {
		return os.ErrProcessDone
	}
	return err
}

func (r *Runner) waitDelay() time.Duration {
	if r.WaitDelay > 0 {
		return r.WaitDelay
	}
	return DefaultWaitDelay
}

// wrap turns a failure of c into an *Error.
func (r *Runner) wrap(ctx context.Context, c Cmd, err error, stderr *tailBuffer) error {
	if err == nil {
		return nil
	}
	e := &Error{Program: c.Program, Args: c.Args, ExitCode: -1, Stderr: stderr.String(), Err: err}
	var exit *exec.ExitError
	switch {
	case errors.Is(err, exec.ErrNotFound):
		e.Err = &NotFoundError{Program: c.Program}
	case ctx.Err() != nil:
		e.Err = context.Cause(ctx)
	case errors.As(err, &exit):
		e.ExitCode = exit.ExitCode()
	}
	return e
}
