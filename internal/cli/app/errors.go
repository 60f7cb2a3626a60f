package app

import "github.com/spf13/cobra"

// UsageError marks an error in how a command was called; the CLI adds a
// pointer to the command's --help.
type UsageError struct {
	Cmd string
	Err error
}

// NewUsageError wraps err as a usage error of cmd.
func NewUsageError(cmd *cobra.Command, err error) UsageError {
	return UsageError{Cmd: cmd.CommandPath(), Err: err}
}

func (u UsageError) Error() string { return u.Err.Error() }
func (u UsageError) Unwrap() error { return u.Err }

// FixedCompletion completes a flag or argument from a fixed list.
func FixedCompletion(values ...string) func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return values, cobra.ShellCompDirectiveNoFileComp
	}
}
