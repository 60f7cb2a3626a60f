package command

import (
	"bytes"
	"errors"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
)

// Error is a failed invocation: the program could not start, exited
// unsuccessfully or was stopped by its context.
type Error struct {
	Program  string
	Args     []string
	ExitCode int    // -1 when the program did not exit by itself
	Stderr   string // the end of its standard error, trimmed
	Err      error  // *exec.ExitError, *NotFoundError, the context's error, ...
}

// Error reads like "git clone -q URL DIR: fatal: ...": the program's own
// message when it printed one, else the underlying error.
func (e *Error) Error() string {
	if nf, ok := e.Err.(*NotFoundError); ok {
		return nf.Error()
	}
	msg := e.Stderr
	if msg == "" || e.ExitCode < 0 {
		msg = joinNonEmpty(msg, e.Err.Error())
	}
	return e.CommandLine() + ": " + msg
}

func (e *Error) Unwrap() error { return e.Err }

// ExitCode returns the exit status of the program that failed with err, or
// -1 when err is not a program's own unsuccessful exit (it was missing,
// killed or cancelled, or err is no *Error).
func ExitCode(err error) int {
	if e := (*Error)(nil); errors.As(err, &e) {
		return e.ExitCode
	}
	return -1
}

// CommandLine is the program and its arguments, quoted where needed.
func (e *Error) CommandLine() string { return Line(e.Program, e.Args) }

// Line is a program and its arguments as one line, quoted where needed.
func Line(program string, args []string) string {
	parts := make([]string, 0, 1+len(args))
	for _, a := range append([]string{program}, args...) {
		if a == "" || strings.ContainsAny(a, " \t\n\"'\\$`") {
			a = strconv.Quote(a)
		}
		parts = append(parts, a)
	}
	return strings.Join(parts, " ")
}

func joinNonEmpty(a, b string) string {
	if a == "" {
		return b
	}
	return a + " (" + b + ")"
}

// NotFoundError reports a program missing from PATH. It matches exec.ErrNotFound.
type NotFoundError struct{ Program string }

// packages names the distribution packages providing programs whose package
// is named differently: {Debian/Ubuntu, Fedora/Azure Linux}.
var packages = map[string][2]string{
	"rpmbuild":           {"rpm", "rpm-build"},
	"createrepo_c":       {"createrepo-c", "createrepo_c"},
	"kiwi-ng":            {"kiwi", "kiwi-cli"},
	"qemu-img":           {"qemu-utils", "qemu-img"},
	"qemu-system-x86_64": {"qemu-system-x86", "qemu-system-x86"},
}

func (e *NotFoundError) Error() string {
	pkg, ok := packages[e.Program]
	if !ok {
		pkg = [2]string{e.Program, e.Program}
	}
	return fmt.Sprintf("%s is required but was not found in PATH; install it (e.g. `apt-get install %s` or `dnf install %s`)",
		e.Program, pkg[0], pkg[1])
}

func (e *NotFoundError) Unwrap() error { return exec.ErrNotFound }

// tailBuffer keeps the last limit bytes written to it.
type tailBuffer struct {
	limit     int
	buf       []byte
	truncated bool
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.buf = append(t.buf, p...)
	if len(t.buf) > 2*t.limit {
		t.buf = append(t.buf[:0], t.buf[len(t.buf)-t.limit:]...)
		t.truncated = true
	}
	return len(p), nil
}

// String returns the kept text, trimmed, starting at a line boundary when
// the beginning was dropped.
func (t *tailBuffer) String() string {
	b := t.buf
	if len(b) > t.limit {
		b, t.truncated = b[len(b)-t.limit:], true
	}
	if t.truncated {
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			b = b[i+1:]
		}
		return "…\n" + strings.TrimSpace(string(b))
	}
	return strings.TrimSpace(string(b))
}
