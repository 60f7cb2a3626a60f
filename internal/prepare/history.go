package prepare

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/azlforge/azldev/internal/history"
	"github.com/azlforge/azldev/internal/lock"
	"github.com/azlforge/azldev/internal/resolve"
	"github.com/azlforge/azldev/internal/spec"
)

// addHistory gives dir the component's synthetic history (dist-git mode):
// one commit per committed lock fingerprint change, with the release bumped
// by their number. Components without a config file or a committed lock get none.
func (p *Preparer) addHistory(comp *resolve.Component, dir string) error {
	if comp.ConfigFile == "" {
		return nil
	}
	changes, _, err := history.LockChanges(comp.ConfigFile, lock.Path(p.Config.Project.LockDir, comp.Name))
	if errors.Is(err, history.ErrNoLock) || (err == nil && len(changes) == 0) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("component `%s`: %w", comp.Name, err)
	}
	if err := bumpRelease(comp, filepath.Join(dir, comp.Name+".spec"), len(changes)); err != nil {
		return err
	}
	if err := history.Synthesize(dir, changes); err != nil {
		return fmt.Errorf("component `%s`: synthetic history: %w", comp.Name, err)
	}
	return nil
}

// bumpRelease raises a static Release by n (release.calculation auto or static).
func bumpRelease(comp *resolve.Component, specPath string, n int) error {
	mode := comp.Config.Release.Calculation
	if mode != "auto" && mode != "static" {
		return nil
	}
	data, err := os.ReadFile(specPath)
	if err != nil {
		return err
	}
	s := spec.Parse(data)
	changed, err := s.BumpRelease(n, mode == "static")
	if err != nil {
		return fmt.Errorf("component `%s`: release bump: %w (set release.calculation = \"manual\" to manage Release yourself)", comp.Name, err)
	}
	if !changed {
		return nil
	}
	return os.WriteFile(specPath, s.Bytes(), 0o644)
}
