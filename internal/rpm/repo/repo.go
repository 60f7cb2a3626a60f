// Package repo names RPM repositories, either as URL prefixes laid out by a
// repository-set template or as a distro version's build inputs, and
// queries them with dnf.
package repo

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/azlforge/azldev/internal/config"
)

// Repo is one RPM repository.
type Repo struct {
	ID       string `json:"id"`
	BaseURL  string `json:"baseUrl,omitempty"`
	Metalink string `json:"metalink,omitempty"`
}

// Use cases of a distro version's inputs.
const (
	UseRPMBuild   = "rpm-build"
	UseImageBuild = "image-build"
)

// FromPrefixes lays out each URL prefix as the named template's
// sub-repositories for arch. With several prefixes, repository ids get the
// prefix's 1-based position as a suffix.
func FromPrefixes(cfg *config.Config, prefixes []string, template, arch string) ([]Repo, error) {
	t := cfg.Resources.RPMRepoSetTemplates[template]
	if t == nil {
		return nil, fmt.Errorf("unknown repository template %q (defined: %s)", template,
			strings.Join(slices.Sorted(maps.Keys(cfg.Resources.RPMRepoSetTemplates)), ", "))
	}
	var repos []Repo
	for i, p := range prefixes {
		for _, sub := range t.Subrepos {
			id := sub.Name
			if len(prefixes) > 1 {
				id = fmt.Sprintf("%s-%d", sub.Name, i+1)
			}
			repos = append(repos, Repo{ID: id, BaseURL: join(p, sub.Subpath, arch)})
		}
	}
	return repos, nil
}

// FromDistro returns the repositories a version of the project's default
// distro lists as inputs for useCase, for arch ("" version: the project's
// default version), and that version's release-ver.
func FromDistro(cfg *config.Config, version, useCase, arch string) ([]Repo, string, error) {
	name := cfg.Project.DefaultDistro.Name
	if name == "" {
		return nil, "", errors.New("the project has no default distro whose inputs to query; give --repo-prefix")
	}
	d := cfg.Distros[name]
	if d == nil {
		return nil, "", fmt.Errorf("the project's default distro %q is not defined", name)
	}
	if version == "" {
		version = cmp.Or(cfg.Project.DefaultDistro.Version, d.DefaultVersion)
	}
	v := d.Versions[version]
	if v == nil {
		return nil, "", fmt.Errorf("distro %q has no version %q", name, version)
	}
	var inputs []config.DistroVersionInput
	switch useCase {
	case UseRPMBuild:
		inputs = v.Inputs.RPMBuild
	case UseImageBuild:
		inputs = v.Inputs.ImageBuild
	default:
		return nil, "", fmt.Errorf("invalid use case %q (want %s or %s)", useCase, UseRPMBuild, UseImageBuild)
	}
	if len(inputs) == 0 {
		return nil, "", fmt.Errorf("distro %q version %q lists no %s inputs", name, version, useCase)
	}
	var repos []Repo
	for _, in := range inputs {
		rs, err := input(cfg, in, arch)
		if err != nil {
			return nil, "", fmt.Errorf("distro %q version %q %s inputs: %w", name, version, useCase, err)
		}
		repos = append(repos, rs...)
	}
	return repos, v.ReleaseVer, nil
}

// input expands one input: a repository or a repository set.
func input(cfg *config.Config, in config.DistroVersionInput, arch string) ([]Repo, error) {
	res := cfg.Resources
	if in.Repo != "" {
		r := res.RPMRepos[in.Repo]
		if r == nil {
			return nil, fmt.Errorf("undefined repository %q", in.Repo)
		}
		if !forArch(r.Arches, arch) {
			return nil, nil
		}
		return []Repo{{ID: in.Repo, BaseURL: join(r.BaseURI, "", arch), Metalink: expand(r.Metalink, arch)}}, nil
	}
	s := res.RPMRepoSets[in.Set]
	if s == nil {
		return nil, fmt.Errorf("undefined repository set %q", in.Set)
	}
	t := res.RPMRepoSetTemplates[s.Template]
	if t == nil {
		return nil, fmt.Errorf("repository set %q: undefined template %q", in.Set, s.Template)
	}
	if !forArch(s.Arches, arch) {
		return nil, nil
	}
	prefix := cmp.Or(s.NamePrefix, in.Set+"-")
	var repos []Repo
	for _, sub := range t.Subrepos {
		if len(s.Subrepos) == 0 || slices.Contains(s.Subrepos, sub.Name) {
			repos = append(repos, Repo{ID: prefix + sub.Name, BaseURL: join(s.BaseURI, sub.Subpath, arch)})
		}
	}
	return repos, nil
}

// join appends subpath to base with one slash and substitutes $basearch.
func join(base, subpath, arch string) string {
	if base == "" {
		return ""
	}
	if subpath != "" {
		base = strings.TrimRight(base, "/") + "/" + strings.TrimLeft(subpath, "/")
	}
	return expand(base, arch)
}

func expand(s, arch string) string { return strings.ReplaceAll(s, "$basearch", arch) }

// forArch reports whether a repository restricted to arches serves arch.
func forArch(arches []string, arch string) bool {
	return len(arches) == 0 || slices.Contains(arches, arch)
}
