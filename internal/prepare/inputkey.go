package prepare

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/azlforge/azldev/internal/config"
	"github.com/azlforge/azldev/internal/lock/fingerprint"
	"github.com/azlforge/azldev/internal/lock/lockfile"
	"github.com/azlforge/azldev/internal/prepare/history"
	"github.com/azlforge/azldev/internal/resolve"
)

// InputKey digests everything the dist-git mode preparation of comp reads:
// its whole resolved configuration, the content of its overlay sources, its
// source identity (the locked upstream commit, or the local spec
// directory's files), the lock committed at HEAD and every project commit
// of its synthetic history. ok is false when the output also depends on the
// clock (uncommitted lock changes, or no lock committed at all: both add
// entries dated now), so no key can stand for it.
func (p *Preparer) InputKey(ctx context.Context, comp *resolve.Component) (key string, ok bool, err error) {
	if comp.ConfigFile == "" {
		return "", false, nil
	}
	lockPath := lockfile.Path(p.Config.Project.LockDir, comp.Name)
	changes, headLock, err := p.lockChanges(ctx, comp, lockPath)
	if errors.Is(err, history.ErrNoLock) || (err == nil && len(changes) == 0) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	identity, ok, err := p.sourceIdentity(comp, lockPath, headLock)
	if err != nil || !ok {
		return "", false, err
	}
	h := sha256.New()
	cfg, err := json.Marshal(&comp.Config)
	if err != nil {
		return "", false, err
	}
	fp, err := fingerprint.InputFingerprint(fingerprint.Inputs{Config: &comp.Config, SourceIdentity: identity,
		ManualBump: headLock.ManualBump, ReleaseVer: resolve.SourceDistro(p.Config, &comp.Config).ReleaseVer()})
	if err != nil {
		return "", false, err
	}
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s\x00", comp.Name, cfg, fp, headLock.Marshal())
	for _, c := range changes {
		fmt.Fprintf(h, "%s\x00%s\x00%s\x00%d\x00%s\x00%s\x00", c.Hash, c.Author, c.Email, c.Time, c.Subject, c.UpstreamCommit)
	}
	return hex.EncodeToString(h.Sum(nil)), true, nil
}

// sourceIdentity is what the preparation reads of the component's source:
// the working-tree lock's upstream commit (not ok when its fingerprint is
// uncommitted), or the local spec directory's files.
func (p *Preparer) sourceIdentity(comp *resolve.Component, lockPath string, headLock *lockfile.Lock) (string, bool, error) {
	if comp.Config.Spec.Type != config.SpecTypeUpstream {
		id, err := fingerprint.LocalSourceIdentity(comp.SpecDir())
		return id, err == nil, err
	}
	dirty, err := p.dirtyChange(comp, lockPath, headLock)
	if err != nil || dirty != nil {
		return "", false, err
	}
	return headLock.UpstreamCommit, true, nil
}

// lockChanges reads the component's lock history, through the index when
// there is one.
func (p *Preparer) lockChanges(ctx context.Context, comp *resolve.Component, lockPath string) ([]history.Change, *lockfile.Lock, error) {
	if p.LockHistory != nil {
		return p.LockHistory.LockChanges(ctx, comp.ConfigFile, lockPath)
	}
	return history.LockChanges(ctx, comp.ConfigFile, lockPath)
}
