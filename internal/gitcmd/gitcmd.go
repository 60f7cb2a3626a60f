// Package gitcmd runs the git command line: every dist-git and project
// history operation goes through the real git, so users' URL rewrites,
// credentials and proxies apply.
package gitcmd

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
)

// ErrNoGit is returned when git is not installed.
var ErrNoGit = errors.New("git is required but was not found in PATH; install git (e.g. `apt-get install git` or `dnf install git`)")

// Git runs git in a directory with extra environment variables.
type Git struct {
	Dir string
	Env []string // KEY=VALUE entries added to the process environment
}

// Run executes git with args and returns its standard output.
func (g Git) Run(args ...string) ([]byte, error) {
	return g.RunInput(nil, args...)
}

// RunInput executes git with args, feeding stdin.
func (g Git) RunInput(stdin []byte, args ...string) ([]byte, error) {
	path, err := exec.LookPath("git")
	if err != nil {
		return nil, ErrNoGit
	}
	cmd := exec.Command(path, args...)
	cmd.Dir = g.Dir
	cmd.Env = append(os.Environ(), g.Env...)
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = err.Error()
		}
		return stdout.Bytes(), &Error{Args: args, Msg: msg, Err: err}
	}
	return stdout.Bytes(), nil
}

// Output runs git and returns its trimmed standard output as a string.
func (g Git) Output(args ...string) (string, error) {
	out, err := g.Run(args...)
	return strings.TrimSpace(string(out)), err
}

// Error is a failed git invocation.
type Error struct {
	Args []string
	Msg  string
	Err  error
}

func (e *Error) Error() string { return fmt.Sprintf("git %s: %s", strings.Join(e.Args, " "), e.Msg) }

func (e *Error) Unwrap() error { return e.Err }

// Identity returns environment entries that set author and committer.
func Identity(name, email, date string) []string {
	return []string{
		"GIT_AUTHOR_NAME=" + name, "GIT_AUTHOR_EMAIL=" + email, "GIT_AUTHOR_DATE=" + date,
		"GIT_COMMITTER_NAME=" + name, "GIT_COMMITTER_EMAIL=" + email, "GIT_COMMITTER_DATE=" + date,
	}
}
