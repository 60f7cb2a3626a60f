package macro

import (
	"strings"
)

// shell implements %(...): the command text is macro-expanded, then run by
// the context's ShellRunner or the built-in safe interpreter. Trailing
// newlines of the output are removed, as rpm does.
func (e *expander) shell(out *output, cmd string) error {
	text, err := e.expandString(cmd)
	if err != nil {
		return err
	}
	e.impure++
	var res string
	if r := e.c.opts.Shell; r != nil {
		res, err = r.Run(e.ctx, text)
	} else {
		res, err = e.safeShell(text)
	}
	if err != nil {
		e.c.warn("%%(%s): %v; expanding to nothing", clip(text), err)
		return nil
	}
	return e.emit(out, strings.TrimRight(res, "\n"))
}
