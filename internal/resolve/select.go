package resolve

import (
	"fmt"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/azlforge/azldev/internal/config"
)

// Selection is what the component selection flags asked for.
type Selection struct {
	All       bool     // -a: every component
	Patterns  []string // -p and positional names: exact names or shell patterns
	Groups    []string // -g: members discovered by the groups' spec patterns
	SpecPaths []string // -s: spec files, named after their base name
}

// Empty reports whether no selection flag was given.
func (s Selection) Empty() bool {
	return !s.All && len(s.Patterns) == 0 && len(s.Groups) == 0 && len(s.SpecPaths) == 0
}

// Select returns the selected component names, without duplicates, in
// selection order (-a: discovery order, then configured names sorted).
func (r *Resolver) Select(sel Selection) ([]string, error) {
	if sel.All {
		return r.Names(), nil
	}
	var out []string
	seen := map[string]bool{}
	add := func(n string) {
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	for _, p := range sel.Patterns {
		names, err := r.matchPattern(p)
		if err != nil {
			return nil, err
		}
		for _, n := range names {
			add(n)
		}
	}
	for _, g := range sel.Groups {
		if _, ok := r.cfg.ComponentGroups[g]; !ok {
			return nil, fmt.Errorf("component group not found: `%s`", g)
		}
		for _, n := range r.discoveredIn(g) {
			add(n)
		}
	}
	for _, s := range sel.SpecPaths {
		name, err := r.addSpecPath(s)
		if err != nil {
			return nil, err
		}
		add(name)
	}
	return out, nil
}

// matchPattern expands a shell pattern (zero matches is fine) or checks an exact name.
func (r *Resolver) matchPattern(p string) ([]string, error) {
	if !strings.ContainsAny(p, "*?[") {
		if !r.Exists(p) {
			return nil, fmt.Errorf("component not found: `%s`", p)
		}
		return []string{p}, nil
	}
	if _, err := path.Match(p, ""); err != nil {
		return nil, fmt.Errorf("invalid component pattern %q: %w", p, err)
	}
	var out []string
	for _, n := range r.Names() {
		if ok, _ := path.Match(p, n); ok {
			out = append(out, n)
		}
	}
	return out, nil
}

// addSpecPath registers a component for a spec file given on the command line.
// The path is kept as given, so a relative path does not match group patterns.
func (r *Resolver) addSpecPath(specPath string) (string, error) {
	name := strings.TrimSuffix(filepath.Base(specPath), filepath.Ext(specPath))
	if err := config.CheckComponentName(name); err != nil {
		return "", fmt.Errorf("invalid spec path %q: it must name a spec file: %w", specPath, err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if d, ok := r.discovered[name]; ok {
		if d.specPath != specPath {
			r.discovered[name] = &discovery{specPath: specPath} // as given: group patterns no longer apply
		}
		return name, nil
	}
	r.discovered[name] = &discovery{specPath: specPath}
	r.order = append(r.order, name)
	return name, nil
}

// discoveredIn lists, in discovery order, the components group g's spec patterns found.
func (r *Resolver) discoveredIn(g string) []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	var out []string
	for _, n := range r.order {
		if slices.Contains(r.discovered[n].groups, g) {
			out = append(out, n)
		}
	}
	return out
}
