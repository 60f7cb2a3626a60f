package prepare

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/azlforge/azldev/internal/lock/lockcheck"
	"github.com/azlforge/azldev/internal/resolve"
	"github.com/azlforge/azldev/internal/rpm/spec"
	"github.com/azlforge/azldev/internal/source/upstream"
)

// fetchUpstream checks the locked upstream commit out into dir and names the spec after the component.
func (p *Preparer) fetchUpstream(ctx context.Context, comp *resolve.Component, dir string) (upstream.Ref, error) {
	ref, err := upstream.RefOf(p.Config, comp)
	if err != nil {
		return ref, err
	}
	commit, err := p.commitFor(ctx, comp, ref)
	if err != nil {
		return ref, err
	}
	if err := p.DistGit.Checkout(ctx, ref.RepoURL, ref.Branch, commit, dir); err != nil {
		return ref, fmt.Errorf("component `%s`: %w", comp.Name, err)
	}
	if !p.Opts.DistGit() {
		if err := os.RemoveAll(filepath.Join(dir, ".git")); err != nil {
			return ref, err
		}
	}
	if ref.Package != comp.Name {
		from, to := filepath.Join(dir, ref.Package+".spec"), filepath.Join(dir, comp.Name+".spec")
		if _, err := os.Stat(from); err == nil {
			if err := os.Rename(from, to); err != nil {
				return ref, err
			}
		}
	}
	return ref, nil
}

// commitFor is the locked commit; with --skip-lock-validation a missing or
// unusable lock falls back to resolving the pin, snapshot or branch tip.
func (p *Preparer) commitFor(ctx context.Context, comp *resolve.Component, ref upstream.Ref) (string, error) {
	l, err := lockcheck.Locked(p.Config.Project.LockDir, comp)
	if err == nil {
		return l.UpstreamCommit, nil
	}
	if !p.Opts.SkipLockValidation {
		return "", err
	}
	p.Opts.Log.Warn("Lock validation skipped; resolving the upstream commit", "component", comp.Name, "reason", err)
	return p.DistGit.ResolveCommit(ctx, ref.RepoURL, ref.Branch, ref.Snapshot, ref.Pin)
}

var digits = regexp.MustCompile(`^[0-9]+$`)

// upstreamRelease computes an %autorelease spec's complete release on the
// pristine dist-git checkout (rpmautospec calculate-release), when the
// preparation can (Options.UpstreamRelease, dist-git mode); it warns and
// reports false otherwise.
func (p *Preparer) upstreamRelease(ctx context.Context, comp *resolve.Component, specPath string) (string, bool) {
	if p.Opts.UpstreamRelease == nil || !p.Opts.DistGit() {
		p.Opts.Log.Warn("Not emitting fedora_upstream_release: %autorelease needs rpmautospec in a build root", "component", comp.Name)
		return "", false
	}
	r, err := p.Opts.UpstreamRelease(ctx, specPath)
	if err != nil || r == "" || r[0] < '0' || r[0] > '9' {
		p.Opts.Log.Warn("Not emitting fedora_upstream_release: calculating the upstream release failed", "component", comp.Name, "release", r, "error", err)
		return "", false
	}
	return r, true
}

// provenanceMacros returns the upstream version and release macros of a
// Fedora component, read from its pristine spec (before any overlay).
func (p *Preparer) provenanceMacros(ctx context.Context, comp *resolve.Component, ref upstream.Ref, specPath string) map[string]string {
	if !comp.Config.Build.EmitUpstreamProvenance || !strings.EqualFold(ref.DistroName, "fedora") || !digits.MatchString(ref.ReleaseVer) {
		return nil
	}
	data, err := os.ReadFile(specPath)
	if err != nil {
		return nil
	}
	s := spec.Parse(data)
	m := map[string]string{}
	if v, ok := s.TagValue("", "Version"); ok {
		m["fedora_upstream_version"] = v
	}
	rel, ok := s.TagValue("", "Release")
	switch {
	case !ok:
	case spec.UsesAutorelease(rel):
		if r, ok := p.upstreamRelease(ctx, comp, specPath); ok {
			m["fedora_upstream_release"] = r + ".fc" + ref.ReleaseVer
		}
	default:
		dist := ".fc" + ref.ReleaseVer
		m["fedora_upstream_release"] = strings.NewReplacer("%{?dist}", dist, "%{dist}", dist).Replace(rel)
	}
	return m
}
