package prepare

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/azlforge/azldev/internal/config"
	"github.com/azlforge/azldev/internal/foundation/atomicfile"
	"github.com/azlforge/azldev/internal/lock/fingerprint"
	"github.com/azlforge/azldev/internal/lock/lockfile"
	"github.com/azlforge/azldev/internal/prepare/history"
	"github.com/azlforge/azldev/internal/resolve"
	"github.com/azlforge/azldev/internal/rpm/spec"
)

// addHistory gives dir the component's synthetic history (dist-git mode):
// one commit per committed lock fingerprint change, with the release bumped
// by their number. Components without a config file or a committed lock get none.
func (p *Preparer) addHistory(ctx context.Context, comp *resolve.Component, dir string) error {
	if comp.ConfigFile == "" {
		return nil
	}
	lockPath := lockfile.Path(p.Config.Project.LockDir, comp.Name)
	changes, headLock, err := p.lockChanges(ctx, comp, lockPath)
	if errors.Is(err, history.ErrNoLock) || (err == nil && len(changes) == 0) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("component `%s`: %w", comp.Name, err)
	}
	upstream := comp.Config.Spec.Type == config.SpecTypeUpstream
	if upstream {
		dirty, err := p.dirtyChange(comp, lockPath, headLock)
		if err != nil {
			return err
		}
		if dirty != nil {
			changes = append(changes, *dirty)
		}
	}
	if err := bumpRelease(comp, filepath.Join(dir, comp.Name+".spec"), len(changes)); err != nil {
		return err
	}
	if upstream {
		err = history.Replay(ctx, dir, headLock.ImportCommit, changes, p.Opts.Log.Warn)
	} else {
		err = history.Synthesize(ctx, dir, changes)
	}
	if err != nil {
		return fmt.Errorf("component `%s`: synthetic history: %w", comp.Name, err)
	}
	return nil
}

// dirtyChange returns a change for uncommitted inputs: the fingerprint of the
// working tree (with the working-tree lock's commit and bump) differs from
// the lock committed at HEAD.
func (p *Preparer) dirtyChange(comp *resolve.Component, lockPath string, headLock *lockfile.Lock) (*history.Change, error) {
	wt, err := lockfile.Read(lockPath)
	if err != nil {
		return nil, err
	}
	fp, err := fingerprint.InputFingerprint(fingerprint.Inputs{
		Config: &comp.Config, SourceIdentity: wt.UpstreamCommit, ManualBump: wt.ManualBump,
		ReleaseVer: resolve.SourceDistro(p.Config, &comp.Config).ReleaseVer(),
	})
	if err != nil {
		return nil, fmt.Errorf("component `%s`: %w", comp.Name, err)
	}
	if fp == headLock.InputFingerprint {
		return nil, nil
	}
	return &history.Change{Hash: "dirty", Author: "azldev", Email: "azldev@local", Time: time.Now().Unix(),
		Subject: "Local changes (uncommitted)", UpstreamCommit: wt.UpstreamCommit}, nil
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
	return atomicfile.Replace(specPath, s.Bytes(), 0o644)
}
