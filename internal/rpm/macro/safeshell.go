package macro

import "errors"

var errShellUnsupported = errors.New("shell commands are not run in the sandbox")

func (e *expander) safeShell(string) (string, error) { return "", errShellUnsupported }
