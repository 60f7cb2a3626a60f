package app

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/azlforge/azldev/internal/lock/lockcheck"
	"github.com/azlforge/azldev/internal/resolve"
)

// Selection binds the component selection flags shared by component commands.
type Selection struct {
	resolve.Selection
	SkipLockValidation bool
}

// Bind adds -a, -p, -g, -s and --skip-lock-validation to cmd.
func (s *Selection) Bind(cmd *cobra.Command) {
	f := cmd.Flags()
	f.BoolVarP(&s.All, "all-components", "a", false, "select every component")
	f.StringArrayVarP(&s.Patterns, "component", "p", nil, "component name or shell pattern (repeatable)")
	f.StringArrayVarP(&s.Groups, "component-group", "g", nil, "components found by a group's spec patterns (repeatable)")
	f.StringArrayVarP(&s.SpecPaths, "spec-path", "s", nil, "a spec file; the component is named after it (repeatable)")
	f.BoolVar(&s.SkipLockValidation, "skip-lock-validation", false, "do not check lock files")
	_ = f.MarkHidden("skip-lock-validation")
}

// With returns the selection with positional arguments added as -p patterns.
func (s Selection) With(args []string) Selection {
	s.Patterns = append(append([]string(nil), s.Patterns...), args...)
	return s
}

// Select resolves the selection to component names; an empty selection
// selects nothing, with a warning.
func (a *App) Select(s Selection) (*resolve.Resolver, []string, error) {
	r, err := a.Resolver()
	if err != nil {
		return nil, nil, err
	}
	if s.Empty() {
		a.Log.Warn("No component selection options were given, no components will be selected.")
		return r, nil, nil
	}
	names, err := r.Select(s.Selection)
	return r, names, err
}

// SelectLocked resolves the selection and, unless --skip-lock-validation,
// validates the selection's lock files (and, with -a, reports orphan ones)
// as the commands that build from locks do.
func (a *App) SelectLocked(s Selection) (*resolve.Resolver, []string, error) {
	r, names, err := a.Select(s)
	if err != nil {
		return nil, nil, err
	}
	if !s.SkipLockValidation {
		if err := a.checkLocks(r, names, s.All); err != nil {
			return nil, nil, err
		}
	}
	return r, names, nil
}

// SelectOne is SelectLocked for a selection that must name exactly one component.
func (a *App) SelectOne(s Selection) (*resolve.Resolver, *resolve.Component, error) {
	r, names, err := a.SelectLocked(s)
	if err != nil {
		return nil, nil, err
	}
	if len(names) != 1 {
		return nil, nil, fmt.Errorf("expected exactly one component, got %d", len(names))
	}
	c, err := r.Resolve(names[0])
	return r, c, err
}

// checkLocks validates the locks of the named components, warning about each failure.
func (a *App) checkLocks(r *resolve.Resolver, names []string, all bool) error {
	comps, err := r.ResolveAll(names)
	if err != nil {
		return err
	}
	err = lockcheck.Check(r.Config().Project.LockDir, comps, r.Names(), all)
	if e, ok := errors.AsType[*lockcheck.Error](err); ok {
		for _, p := range e.Problems {
			a.Log.Warn("Lock validation failed", "component", p.Component, "error", p.Err.Error())
		}
		for _, o := range e.Orphans {
			a.Log.Warn("Orphan lock file", "component", o)
		}
	}
	return err
}

// CompleteComponents completes component names.
func (a *App) CompleteComponents(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	r, err := a.Resolver()
	if err != nil {
		return nil, cobra.ShellCompDirectiveError
	}
	return r.Names(), cobra.ShellCompDirectiveNoFileComp
}
