// Package git runs the git command line through command: every dist-git and
// project history operation goes through the real git, so users' URL
// rewrites, credentials and proxies apply, and errors carry git's own
// message.
package git

import (
	"bytes"
	"context"
	"strings"

	"github.com/azlforge/azldev/internal/foundation/command"
)

// Repo runs git in a directory with extra environment variables.
type Repo struct {
	Dir string
	Env []string // KEY=VALUE entries added to the process environment
}

// Run executes git with args and returns its standard output. Failures are
// *command.Error values carrying git's standard error.
func (r Repo) Run(ctx context.Context, args ...string) ([]byte, error) {
	return r.RunInput(ctx, nil, args...)
}

// RunInput executes git with args, feeding stdin.
func (r Repo) RunInput(ctx context.Context, stdin []byte, args ...string) ([]byte, error) {
	c := command.Cmd{Program: "git", Args: args, Dir: r.Dir, Env: r.Env}
	if stdin != nil {
		c.Stdin = bytes.NewReader(stdin)
	}
	return command.Run(ctx, c)
}

// Output runs git and returns its trimmed standard output as a string.
func (r Repo) Output(ctx context.Context, args ...string) (string, error) {
	out, err := r.Run(ctx, args...)
	return strings.TrimSpace(string(out)), err
}

// Identity returns environment entries that set author and committer.
func Identity(name, email, date string) []string {
	return []string{
		"GIT_AUTHOR_NAME=" + name, "GIT_AUTHOR_EMAIL=" + email, "GIT_AUTHOR_DATE=" + date,
		"GIT_COMMITTER_NAME=" + name, "GIT_COMMITTER_EMAIL=" + email, "GIT_COMMITTER_DATE=" + date,
	}
}
