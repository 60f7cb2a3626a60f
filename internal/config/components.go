package config

import (
	"maps"
	"slices"
)

// ComponentStore serves the components of a Config that holds them back:
// one rebuilt from the configuration cache (package config/cache), whose
// components are decoded only when asked for. The Config's component
// methods delegate to it; LoadComponents must leave the Config's Components
// and ComponentFiles complete. Its methods must be safe for concurrent use.
type ComponentStore interface {
	// Component returns a component, ok false when it is not declared.
	Component(name string) (cc *ComponentConfig, ok bool, err error)
	// HasComponent reports whether a component is declared.
	HasComponent(name string) bool
	// ComponentNames returns the declared component names, sorted.
	ComponentNames() []string
	// ComponentFile returns the file that declares a component, or "".
	ComponentFile(name string) string
	// LoadComponents fills the Config's Components and ComponentFiles.
	LoadComponents() error
}

// SetComponentStore makes s serve c's components (c.Components and
// c.ComponentFiles are then left to s until LoadComponents).
func (c *Config) SetComponentStore(s ComponentStore) { c.store = s }

// ComponentStore returns the store serving c's components, or nil when c
// was loaded in full.
func (c *Config) ComponentStore() ComponentStore { return c.store }

// FromCache reports whether c was rebuilt from the configuration cache
// (its components are served by a ComponentStore).
func (c *Config) FromCache() bool { return c.store != nil }

// Component returns a component's configuration as declared (paths
// absolute, not resolved; see package resolve). ok is false when no such
// component is declared.
func (c *Config) Component(name string) (cc *ComponentConfig, ok bool, err error) {
	if c.store == nil {
		cc, ok = c.Components[name]
		return cc, ok, nil
	}
	return c.store.Component(name)
}

// HasComponent reports whether a component of that name is declared.
func (c *Config) HasComponent(name string) bool {
	if c.store == nil {
		_, ok := c.Components[name]
		return ok
	}
	return c.store.HasComponent(name)
}

// ComponentNames returns the declared component names, sorted.
func (c *Config) ComponentNames() []string {
	if c.store == nil {
		return slices.Sorted(maps.Keys(c.Components))
	}
	return c.store.ComponentNames()
}

// ComponentFile returns the file that declares a component, or "".
func (c *Config) ComponentFile(name string) string {
	if c.store == nil {
		return c.ComponentFiles[name]
	}
	return c.store.ComponentFile(name)
}

// LoadComponents makes Components and ComponentFiles complete. It does
// nothing for a Config that was loaded in full.
func (c *Config) LoadComponents() error {
	if c.store == nil {
		return nil
	}
	return c.store.LoadComponents()
}
