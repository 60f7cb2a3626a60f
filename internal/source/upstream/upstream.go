// Package upstream maps a resolved component to its upstream coordinates
// (dist-git repository, branch, snapshot, pin, lookaside) and resolves the
// commit it is built from.
package upstream

import (
	"context"
	"fmt"

	"github.com/azlforge/azldev/internal/config"
	"github.com/azlforge/azldev/internal/resolve"
	"github.com/azlforge/azldev/internal/source/distgit"
)

// Ref locates a component's upstream sources.
type Ref struct {
	Package           string // upstream package name (upstream-name, else the component name)
	RepoURL           string
	Branch            string
	Snapshot          string
	Pin               string
	LookasideTemplate string
	DistroName        string
	ReleaseVer        string
}

// RefOf computes where an upstream component's sources come from.
func RefOf(cfg *config.Config, c *resolve.Component) (Ref, error) {
	sd := resolve.SourceDistro(cfg, &c.Config)
	ref, d, version, v := sd.Ref, sd.Definition, sd.VersionName, sd.Version
	switch {
	case d == nil:
		return Ref{}, fmt.Errorf("component `%s`: upstream distro `%s` is not defined", c.Name, ref.Name)
	case v == nil:
		return Ref{}, fmt.Errorf("component `%s`: version `%s` of upstream distro `%s` is not defined", c.Name, version, ref.Name)
	case d.DistGitBaseURI == "" || v.DistGitBranch == "" || d.LookasideBaseURI == "":
		return Ref{}, fmt.Errorf("component `%s`: upstream distro `%s` %s needs dist-git-base-uri, dist-git-branch and lookaside-base-uri", c.Name, ref.Name, version)
	}
	pkg := c.Config.Spec.UpstreamName
	if pkg == "" {
		pkg = c.Name
	}
	repoURL, err := distgit.RepoURL(d.DistGitBaseURI, pkg)
	if err != nil {
		return Ref{}, fmt.Errorf("component `%s`: %w", c.Name, err)
	}
	return Ref{
		Package: pkg, RepoURL: repoURL, Branch: v.DistGitBranch,
		Snapshot: ref.Snapshot, Pin: c.Config.Spec.UpstreamCommit,
		LookasideTemplate: d.LookasideBaseURI, DistroName: ref.Name, ReleaseVer: v.ReleaseVer,
	}, nil
}

// Resolver resolves upstream commits of components through dist-git.
type Resolver struct {
	Config   *config.Config
	Provider *distgit.Provider
}

// ResolveCommit returns the commit a component should be built from.
func (r *Resolver) ResolveCommit(ctx context.Context, c *resolve.Component) (string, error) {
	ref, err := RefOf(r.Config, c)
	if err != nil {
		return "", err
	}
	return r.Provider.ResolveCommit(ctx, ref.RepoURL, ref.Branch, ref.Snapshot, ref.Pin)
}

// CommitExists reports whether a component's dist-git repository holds commit.
func (r *Resolver) CommitExists(ctx context.Context, c *resolve.Component, commit string) (bool, error) {
	ref, err := RefOf(r.Config, c)
	if err != nil {
		return false, err
	}
	return r.Provider.HasCommit(ctx, ref.RepoURL, commit)
}
