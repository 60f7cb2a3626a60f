// Package lockcheck validates lock files the way the commands that build
// from them do (prepare-sources, diff-sources; BEHAVIOR.md 7.5): every
// selected upstream component needs a readable lock whose upstream-commit is
// set and agrees with a configured pin, and when every component is selected,
// a lock file naming no component (an orphan) is an error too. Local
// components are exempt.
package lockcheck

import (
	"fmt"
	"strings"

	"github.com/azlforge/azldev/internal/config"
	"github.com/azlforge/azldev/internal/lock/lockfile"
	"github.com/azlforge/azldev/internal/resolve"
)

// Locked returns the validated lock of an upstream component.
func Locked(lockDir string, c *resolve.Component) (*lockfile.Lock, error) {
	l, err := lockfile.Read(lockfile.Path(lockDir, c.Name))
	if lockfile.IsNotExist(err) {
		return nil, fmt.Errorf("no lock file for upstream component `%s`; run 'azldev component update %s' to create one", c.Name, c.Name)
	}
	if err != nil {
		return nil, err
	}
	switch pin := c.Config.Spec.UpstreamCommit; {
	case l.UpstreamCommit == "":
		return nil, fmt.Errorf("lock for `%s` has no upstream-commit; run 'azldev component update %s'", c.Name, c.Name)
	case pin != "" && pin != l.UpstreamCommit:
		return nil, fmt.Errorf("lock is stale for `%s`: config pins `%s` but lock has `%s`", c.Name, pin, l.UpstreamCommit)
	}
	return l, nil
}

// Problem is one component whose lock failed validation.
type Problem struct {
	Component string
	Err       error
}

// Error reports every failure of a selection, in the reference's words.
type Error struct {
	Problems []Problem
	Orphans  []string // components named by orphan lock files, sorted
}

func (e *Error) Error() string {
	return fmt.Sprintf("lock file validation failed:\nlock file consistency check failed: %d missing/stale, %d orphans\n%s",
		len(e.Problems), len(e.Orphans), e.suggestion())
}

// suggestion names the components to update, or all of them.
func (e *Error) suggestion() string {
	if len(e.Orphans) > 0 || len(e.Problems) > 10 {
		return "run 'azldev component update -a' to fix all lock file issues"
	}
	names := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		names[i] = p.Component
	}
	return "run 'azldev component update " + strings.Join(names, " ") + "'"
}

// Check validates the locks of comps; with all (every component selected,
// named in known) it also reports orphan lock files. It returns nil or an
// *Error.
func Check(lockDir string, comps []*resolve.Component, known []string, all bool) error {
	e := &Error{}
	for _, c := range comps {
		if c.Config.Spec.Type != config.SpecTypeUpstream {
			continue
		}
		if _, err := Locked(lockDir, c); err != nil {
			e.Problems = append(e.Problems, Problem{Component: c.Name, Err: err})
		}
	}
	if all {
		orphans, err := lockfile.Orphans(lockDir, known)
		if err != nil {
			return err
		}
		e.Orphans = orphans
	}
	if len(e.Problems) == 0 && len(e.Orphans) == 0 {
		return nil
	}
	return e
}
