package resolve

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/azlforge/azldev/internal/config"
)

// Package is a binary package and where it is published.
type Package struct {
	Name            string   `json:"packageName"`
	Type            string   `json:"type"`
	PackageGroups   []string `json:"packageGroups"`
	ComponentGroups []string `json:"componentGroups"`
	Component       string   `json:"component"`
	PublishChannel  string   `json:"publishChannel"`
}

// debugPackage matches -debuginfo or -debugsource as a whole hyphen-delimited segment.
var debugPackage = regexp.MustCompile(`-debug(info|source)(-|$)`)

// IsDebugPackage reports whether a binary package holds debug information.
func IsDebugPackage(name string) bool { return debugPackage.MatchString(name) }

// packageIndex knows, for each binary package name, its groups and owning component.
type packageIndex struct {
	groups map[string][]string   // package → package groups, sorted
	owner  map[string]string     // package → component with an explicit packages.<P> entry
	comps  map[string]*Component // components resolved so far (without the distro layer)
}

func (r *Resolver) indexPackages() (*packageIndex, error) {
	idx := &packageIndex{groups: r.packageGroups(), owner: map[string]string{}, comps: map[string]*Component{}}
	if err := r.cfg.LoadComponents(); err != nil {
		return nil, err
	}
	for _, c := range slices.Sorted(maps.Keys(r.cfg.Components)) {
		for p := range r.cfg.Components[c].Packages {
			if prev, dup := idx.owner[p]; dup {
				return nil, fmt.Errorf("package `%s` is configured by both components `%s` and `%s`", p, prev, c)
			}
			idx.owner[p] = c
		}
	}
	return idx, nil
}

// packageGroups maps each package a package group lists to its groups, sorted.
func (r *Resolver) packageGroups() map[string][]string {
	total := 0
	for _, g := range r.cfg.PackageGroups {
		total += len(g.Packages)
	}
	groups := make(map[string][]string, total)
	for _, g := range slices.Sorted(maps.Keys(r.cfg.PackageGroups)) {
		for _, p := range r.cfg.PackageGroups[g].Packages {
			groups[p] = append(groups[p], g)
		}
	}
	return groups
}

// AllPackageNames lists every package named by a package group or a component's packages table, sorted.
func (r *Resolver) AllPackageNames() ([]string, error) {
	idx, err := r.indexPackages()
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(idx.groups)+len(idx.owner))
	for p := range idx.groups {
		names = append(names, p)
	}
	for p := range idx.owner {
		if _, ok := idx.groups[p]; !ok {
			names = append(names, p)
		}
	}
	sort.Strings(names)
	return names, nil
}

// Packages resolves the named binary packages.
func (r *Resolver) Packages(names []string) ([]Package, error) {
	idx, err := r.indexPackages()
	if err != nil {
		return nil, err
	}
	out := make([]Package, 0, len(names))
	for _, n := range names {
		p, err := r.resolvePackage(idx, n)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// component resolves a component's publish layers once per index.
func (idx *packageIndex) component(r *Resolver, name string) (*Component, error) {
	if c, ok := idx.comps[name]; ok {
		return c, nil
	}
	c, err := r.layers(name, false)
	if err == nil {
		idx.comps[name] = c
	}
	return c, err
}

func (r *Resolver) resolvePackage(idx *packageIndex, name string) (Package, error) {
	p := Package{Name: name, Type: "rpm", PackageGroups: nonNil(idx.groups[name]), ComponentGroups: []string{}}
	p.Component = idx.owner[name]
	if p.Component == "" && r.Exists(name) {
		p.Component = name
	}
	var comp *Component
	if p.Component != "" {
		c, err := idx.component(r, p.Component)
		if err != nil {
			return p, err
		}
		comp = c
		p.ComponentGroups = nonNil(c.Groups)
	}
	p.PublishChannel = r.publishChannel(comp, name, p.PackageGroups)
	return p, nil
}

// RPMChannel is the publish channel of the binary package name built by
// comp, as `component build` computes it: from comp's fully resolved
// configuration (distro layer included).
func (r *Resolver) RPMChannel(comp *Component, name string) string {
	return r.publishChannel(comp, name, r.packageGroups()[name])
}

// publishChannel applies the channel rules to the binary package name of
// comp (nil when no component owns it), listed in the package groups groups:
// the default package config, the component's publish table, the groups in
// order, then the component's packages.<name> entry; each non-empty
// channel replaces the previous one.
func (r *Resolver) publishChannel(comp *Component, name string, groups []string) string {
	debug := IsDebugPackage(name)
	channel := channelOf(r.cfg.DefaultPackageConfig.Publish, debug)
	if comp != nil {
		pick(&channel, componentChannel(comp.Config.Publish, debug))
	}
	for _, g := range groups {
		pick(&channel, channelOf(r.cfg.PackageGroups[g].DefaultPackageConfig.Publish, debug))
	}
	if comp != nil {
		if pc := comp.Config.Packages[name]; pc != nil {
			pick(&channel, channelOf(pc.Publish, debug))
		}
	}
	return channel
}

// channelOf picks the channel for a package kind, falling back to the deprecated `channel`.
func channelOf(p config.PackagePublishConfig, debug bool) string {
	if debug {
		return p.DebuginfoChannel
	}
	if p.RPMChannel != "" {
		return p.RPMChannel
	}
	return p.Channel
}

func componentChannel(p config.ComponentPublishConfig, debug bool) string {
	if debug {
		return p.DebuginfoChannel
	}
	return p.RPMChannel
}

func pick(dst *string, v string) {
	if v != "" {
		*dst = v
	}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// ListPackages returns the named packages (with all, every package a group
// or component names), sorted by name.
func (r *Resolver) ListPackages(names []string, all bool) ([]Package, error) {
	if all {
		var err error
		if names, err = r.AllPackageNames(); err != nil {
			return nil, err
		}
	}
	pkgs, err := r.Packages(names)
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(pkgs, func(a, b Package) int { return strings.Compare(a.Name, b.Name) })
	return pkgs, nil
}
