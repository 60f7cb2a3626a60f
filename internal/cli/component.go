package cli

import (
	"fmt"
	"os"
	"sync"

	"github.com/spf13/cobra"

	"github.com/azlforge/azldev/internal/cli/output"
	"github.com/azlforge/azldev/internal/config"
	"github.com/azlforge/azldev/internal/lock/lockfile"
	"github.com/azlforge/azldev/internal/resolve"
)

func newComponentCommand(app *App) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "component",
		Aliases: []string{"comp"},
		Short:   "Inspect and process components (one per source package)",
	}
	cmd.AddCommand(newComponentListCommand(app), newComponentAddCommand(app), newPrepareSourcesCommand(app), newDiffSourcesCommand(app), newUpdateCommand(app), newChangedCommand(app))
	return cmd
}

// selectionFlags binds the component selection flags shared by component commands.
type selectionFlags struct {
	sel                resolve.Selection
	skipLockValidation bool
}

func (s *selectionFlags) bind(cmd *cobra.Command) {
	f := cmd.Flags()
	f.BoolVarP(&s.sel.All, "all-components", "a", false, "select every component")
	f.StringArrayVarP(&s.sel.Patterns, "component", "p", nil, "component name or shell pattern (repeatable)")
	f.StringArrayVarP(&s.sel.Groups, "component-group", "g", nil, "components found by a group's spec patterns (repeatable)")
	f.StringArrayVarP(&s.sel.SpecPaths, "spec-path", "s", nil, "a spec file; the component is named after it (repeatable)")
	f.BoolVar(&s.skipLockValidation, "skip-lock-validation", false, "do not check lock files")
	_ = f.MarkHidden("skip-lock-validation")
}

// selected resolves the selection (positional args count as -p).
func (s *selectionFlags) selected(app *App, args []string) (*resolve.Resolver, []string, error) {
	r, err := app.Resolver()
	if err != nil {
		return nil, nil, err
	}
	sel := s.sel
	sel.Patterns = append(sel.Patterns, args...)
	if sel.Empty() {
		app.Log.Warn("No component selection options were given, no components will be selected.")
		return r, nil, nil
	}
	names, err := r.Select(sel)
	return r, names, err
}

// selectedOne resolves a selection that must name exactly one component.
func (s *selectionFlags) selectedOne(app *App, args []string) (*resolve.Resolver, *resolve.Component, error) {
	r, names, err := s.selected(app, args)
	if err != nil {
		return nil, nil, err
	}
	if len(names) != 1 {
		return nil, nil, fmt.Errorf("expected exactly one component, got %d", len(names))
	}
	c, err := r.Resolve(names[0])
	return r, c, err
}

func (s *selectionFlags) complete(app *App) func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		r, err := app.Resolver()
		if err != nil {
			return nil, cobra.ShellCompDirectiveError
		}
		return r.Names(), cobra.ShellCompDirectiveNoFileComp
	}
}

// componentJSON is the JSON shape of a resolved component.
type componentJSON struct {
	Name            string      `json:"name"`
	RenderedSpecDir string      `json:"renderedSpecDir"`
	Locked          *lockedJSON `json:"locked,omitempty"`
	config.ComponentConfig
}

// lockedJSON is a component's lock file as shown in listings.
type lockedJSON struct {
	UpstreamCommit      string `json:"upstreamCommit,omitempty"`
	ImportCommit        string `json:"importCommit,omitempty"`
	ManualBump          int    `json:"manualBump,omitempty"`
	InputFingerprint    string `json:"inputFingerprint,omitempty"`
	ResolutionInputHash string `json:"resolutionInputHash,omitempty"`
}

// attachLocks fills the locked field of components that have a lock file.
func attachLocks(lockDir string, comps []componentJSON) {
	if _, err := os.Stat(lockDir); err != nil {
		return
	}
	var wg sync.WaitGroup
	sem := make(chan struct{}, 8)
	for i := range comps {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			if l, err := lockfile.Read(lockfile.Path(lockDir, comps[i].Name)); err == nil {
				comps[i].Locked = &lockedJSON{UpstreamCommit: l.UpstreamCommit, ImportCommit: l.ImportCommit,
					ManualBump: l.ManualBump, InputFingerprint: l.InputFingerprint, ResolutionInputHash: l.ResolutionInputHash}
			}
		})
	}
	wg.Wait()
}

func newComponentListCommand(app *App) *cobra.Command {
	var sf selectionFlags
	cmd := &cobra.Command{
		Use:   "list [NAME...]",
		Short: "List components with their resolved configuration",
		Example: `  azldev component list -a
  azldev component list -p 'python-*' -O json
  azldev component list curl`,
		RunE: func(cmd *cobra.Command, args []string) error {
			r, names, err := sf.selected(app, args)
			if err != nil {
				return err
			}
			out, err := app.Output()
			if err != nil {
				return err
			}
			comps := make([]componentJSON, 0, len(names))
			rows := output.Rows{Columns: []string{"Name", "Spec"}}
			for _, n := range names {
				c, err := r.Resolve(n)
				if err != nil {
					return err
				}
				comps = append(comps, componentJSON{Name: c.Name, RenderedSpecDir: c.RenderedSpecDir, ComponentConfig: c.Config})
				rows.Rows = append(rows.Rows, []string{c.Name, specSummary(r.Config(), c)})
			}
			sortRows(rows.Rows)
			if out.Format == output.JSON {
				attachLocks(r.Config().Project.LockDir, comps)
			}
			return out.Write(comps, rows)
		},
	}
	sf.bind(cmd)
	cmd.ValidArgsFunction = sf.complete(app)
	return cmd
}

// specSummary describes where a component's spec comes from.
func specSummary(cfg *config.Config, c *resolve.Component) string {
	s := c.Config.Spec
	if s.Type != config.SpecTypeUpstream {
		return cfg.Display(s.Path)
	}
	d := s.UpstreamDistro
	if d.Version == "" {
		if def := cfg.Distros[d.Name]; def != nil {
			d.Version = def.DefaultVersion
		}
	}
	out := fmt.Sprintf("Upstream: %s %s", d.Name, d.Version)
	if s.UpstreamCommit != "" {
		out += " @" + s.UpstreamCommit
	}
	return out
}
