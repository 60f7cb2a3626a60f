// Package resolve computes each component's effective configuration from the
// merged project configuration: distro, project and group defaults, the
// component's own entry and its overlay files. Components are resolved lazily,
// so commands that touch one component do not pay for the whole tree.
package resolve

import (
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/azlforge/azldev/internal/config"
)

// Component is a component with its effective configuration.
type Component struct {
	Name string
	// ConfigFile is the file that declares the component ("" for a spec found only by a group pattern).
	ConfigFile string
	// Groups are the component groups it belongs to, sorted.
	Groups []string
	// RenderedSpecDir is <rendered-specs-dir>/<lowercased first byte>/<name>.
	RenderedSpecDir string
	Config          config.ComponentConfig
}

// SpecDir is the directory the component's own relative paths resolve against.
func (c *Component) SpecDir() string {
	if c.Config.Spec.Type == config.SpecTypeLocal && c.Config.Spec.Path != "" {
		return filepath.Dir(c.Config.Spec.Path)
	}
	return filepath.Dir(c.ConfigFile)
}

// Resolver resolves components of one loaded configuration. It is safe for
// concurrent use.
type Resolver struct {
	cfg        *config.Config
	permissive bool
	explicit   map[string][]string // component → groups listing it in `components`; fixed by New

	// mu guards what selection by spec path and permissive resolution add
	// while other goroutines may be resolving.
	mu         sync.RWMutex
	discovered map[string]*discovery // entries are replaced, never modified, after New
	order      []string              // spec-discovered component names in discovery order
	warnings   []string
}

// discovery is a component found through a group's spec patterns.
type discovery struct {
	specPath string
	groups   []string
}

// New indexes group membership and discovers spec-pattern components.
func New(cfg *config.Config, permissive bool) (*Resolver, error) {
	r := &Resolver{cfg: cfg, permissive: permissive, explicit: map[string][]string{}, discovered: map[string]*discovery{}}
	for _, g := range slices.Sorted(maps.Keys(cfg.ComponentGroups)) {
		for _, m := range cfg.ComponentGroups[g].Components {
			r.explicit[m] = appendUnique(r.explicit[m], g)
		}
	}
	if err := r.discoverSpecs(); err != nil {
		return nil, err
	}
	return r, nil
}

// Warnings returns the problems tolerated so far (under --permissive-config).
func (r *Resolver) Warnings() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return slices.Clone(r.warnings)
}

// warn records a problem tolerated under --permissive-config.
func (r *Resolver) warn(msg string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.warnings = append(r.warnings, msg)
}

// discoveryOf returns the spec-pattern discovery of a component, if any.
func (r *Resolver) discoveryOf(name string) (discovery, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	d, ok := r.discovered[name]
	if !ok {
		return discovery{}, false
	}
	return *d, true
}

// Config returns the configuration being resolved.
func (r *Resolver) Config() *config.Config { return r.cfg }

// discoverSpecs globs every group's spec patterns.
func (r *Resolver) discoverSpecs() error {
	for _, g := range slices.Sorted(maps.Keys(r.cfg.ComponentGroups)) {
		grp := r.cfg.ComponentGroups[g]
		for _, pat := range grp.Specs {
			matches, _ := config.Glob("", pat) // I/O errors are tolerated, as for the reference
			for _, m := range matches {
				if excluded(m, grp.ExcludedPaths) {
					continue
				}
				if err := r.addDiscovered(g, m); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func (r *Resolver) addDiscovered(group, specPath string) error {
	name := strings.TrimSuffix(filepath.Base(specPath), filepath.Ext(specPath))
	if err := config.CheckComponentName(name); err != nil {
		return fmt.Errorf("spec %s found by component group `%s`: %w", specPath, group, err)
	}
	d, ok := r.discovered[name]
	if !ok {
		d = &discovery{specPath: specPath}
		r.discovered[name] = d
		r.order = append(r.order, name)
	} else if d.specPath != specPath {
		return fmt.Errorf("component `%s`: spec found at both %s and %s", name, d.specPath, specPath)
	}
	d.groups = appendUnique(d.groups, group)
	return nil
}

func excluded(path string, patterns []string) bool {
	for _, p := range patterns {
		if ok, _ := matchPath(p, path); ok {
			return true
		}
	}
	return false
}

// Names returns every component name: spec-discovered ones first (in
// discovery order), then the remaining configured ones sorted by name.
func (r *Resolver) Names() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	names := slices.Clone(r.order)
	for _, n := range r.cfg.ComponentNames() {
		if _, ok := r.discovered[n]; !ok {
			names = append(names, n)
		}
	}
	return names
}

// Exists reports whether name is a configured or discovered component.
func (r *Resolver) Exists(name string) bool {
	_, found := r.discoveryOf(name)
	return found || r.cfg.HasComponent(name)
}

// GroupsOf returns the sorted groups a component belongs to.
func (r *Resolver) GroupsOf(name string) []string {
	groups := slices.Clone(r.explicit[name])
	if d, ok := r.discoveryOf(name); ok {
		for _, g := range d.groups {
			groups = appendUnique(groups, g)
		}
	}
	sort.Strings(groups)
	return groups
}

// Resolve computes the effective configuration of one component.
func (r *Resolver) Resolve(name string) (*Component, error) {
	c, err := r.layers(name, true)
	if err != nil {
		return nil, err
	}
	if err := r.expandOverlayFiles(c); err != nil {
		return nil, err
	}
	if c.Config.Release.Calculation == "" {
		c.Config.Release.Calculation = "auto"
	}
	return c, nil
}

func (r *Resolver) layers(name string, withDistro bool) (*Component, error) {
	own, configured, err := r.cfg.Component(name)
	if err != nil {
		return nil, err
	}
	d, found := r.discoveryOf(name)
	if !configured && !found {
		return nil, fmt.Errorf("component not found: `%s`", name)
	}
	c := &Component{Name: name, ConfigFile: r.cfg.ComponentFile(name), Groups: r.GroupsOf(name)}
	c.RenderedSpecDir = config.RenderedSpecDir(r.cfg.Project.RenderedSpecsDir, name)
	if withDistro {
		if v := r.defaultDistroVersion(); v != nil {
			config.MergeComponent(&c.Config, &v.DefaultComponentConfig)
		}
	}
	config.MergeComponent(&c.Config, &r.cfg.DefaultComponentConfig)
	for _, g := range c.Groups {
		config.MergeComponent(&c.Config, &r.cfg.ComponentGroups[g].DefaultComponentConfig)
	}
	if configured {
		config.MergeComponent(&c.Config, own)
	}
	if found {
		if configured && own.Spec.Path != "" && filepath.Clean(own.Spec.Path) != filepath.Clean(d.specPath) {
			return nil, fmt.Errorf("component `%s`: spec.path %s in %s differs from the spec found by its group pattern, %s",
				name, own.Spec.Path, r.cfg.Display(c.ConfigFile), d.specPath)
		}
		c.Config.Spec.Type = config.SpecTypeLocal
		c.Config.Spec.Path = d.specPath
	}
	return c, nil
}

// ResolveAll resolves the named components in order.
func (r *Resolver) ResolveAll(names []string) ([]*Component, error) {
	comps := make([]*Component, 0, len(names))
	for _, n := range names {
		c, err := r.Resolve(n)
		if err != nil {
			return nil, err
		}
		comps = append(comps, c)
	}
	return comps, nil
}

// defaultDistroVersion returns the project default distro's selected version, if defined.
func (r *Resolver) defaultDistroVersion() *config.DistroVersionDefinition {
	return LookupDistro(r.cfg, r.cfg.Project.DefaultDistro).Version
}

func appendUnique(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}
