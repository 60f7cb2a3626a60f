package render

import (
	"context"
	"os"
	"path/filepath"

	"github.com/azlforge/azldev/internal/foundation/parallel"
	"github.com/azlforge/azldev/internal/prepare"
	"github.com/azlforge/azldev/internal/resolve"
	"github.com/azlforge/azldev/internal/rpm/macro"
	"github.com/azlforge/azldev/internal/rpm/rpmspec"
)

// SpecInfo is what `component query` reports of a component's overlaid spec.
type SpecInfo struct {
	Component     string   `json:"component"`
	Name          string   `json:"name"`
	Epoch         string   `json:"epoch,omitempty"`
	Version       string   `json:"version"`
	Release       string   `json:"release"`
	Subpackages   []string `json:"subpackages"`
	BuildRequires []string `json:"buildRequires"`
	Provides      []string `json:"provides"`
	Sources       []string `json:"sources"`
	Patches       []string `json:"patches"`
}

// Query prepares each component's sources (overlays and build configuration
// applied, no dist-git history, nothing downloaded) in a temporary directory
// and evaluates the spec with the macro engine, as rpmspec would in the
// build root.
func Query(ctx context.Context, p *prepare.Preparer, base *macro.Base, comps []*resolve.Component, jobs int) ([]SpecInfo, error) {
	tmp, err := os.MkdirTemp("", "azldev-query-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	stager := *p
	stager.Opts.WithoutGit, stager.Opts.SkipSources = true, true
	return parallel.Map(ctx, comps, parallel.Options{Limit: jobs, Name: func(i int) string { return comps[i].Name }},
		func(ctx context.Context, _ int, c *resolve.Component) (SpecInfo, error) {
			dir := filepath.Join(tmp, c.Name)
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return SpecInfo{}, err
			}
			if err := stager.Stage(ctx, c, dir); err != nil {
				return SpecInfo{}, err
			}
			return querySpec(ctx, base, c.Name, dir)
		})
}

// querySpec evaluates <dir>/<name>.spec.
func querySpec(ctx context.Context, base *macro.Base, name, dir string) (SpecInfo, error) {
	path := filepath.Join(dir, name+".spec")
	data, err := os.ReadFile(path)
	if err != nil {
		return SpecInfo{}, err
	}
	res, err := rpmspec.Parse(ctx, base, data, rpmspec.Options{File: path, SourceDir: dir})
	if err != nil {
		return SpecInfo{}, err
	}
	info := SpecInfo{Component: name, Name: res.Name, Epoch: res.Epoch, Version: res.Version, Release: res.Release,
		Subpackages: nonNil(res.Subpackages()), BuildRequires: nonNil(res.BuildRequires),
		Sources: values(res.Sources), Patches: values(res.Patches), Provides: []string{}}
	for _, pkg := range res.Packages {
		info.Provides = append(info.Provides, pkg.Provides...)
	}
	return info, nil
}

func values(list []rpmspec.Source) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = s.Value
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
