package resolve

import (
	"fmt"

	"github.com/azlforge/azldev/internal/config"
)

// Distro is a distro reference with the definitions it names looked up. It is
// the one place that answers "which distro and version does this component's
// spec come from".
type Distro struct {
	Ref         config.DistroReference          // as written (version possibly empty)
	Definition  *config.DistroDefinition        // nil when the distro is not defined
	VersionName string                          // Ref.Version, defaulted to the distro's default-version
	Version     *config.DistroVersionDefinition // nil when that version is not defined
}

// LookupDistro looks up ref's distro and version definitions, defaulting the
// version to the distro's default-version.
func LookupDistro(cfg *config.Config, ref config.DistroReference) Distro {
	d := Distro{Ref: ref, VersionName: ref.Version, Definition: cfg.Distros[ref.Name]}
	if d.Definition == nil {
		return d
	}
	if d.VersionName == "" {
		d.VersionName = d.Definition.DefaultVersion
	}
	d.Version = d.Definition.Versions[d.VersionName]
	return d
}

// SourceDistro returns the distro a component's spec comes from: its
// spec.upstream-distro, or the project's default distro when that names no
// distro.
func SourceDistro(cfg *config.Config, c *config.ComponentConfig) Distro {
	ref := c.Spec.UpstreamDistro
	if ref.Name == "" {
		ref = cfg.Project.DefaultDistro
	}
	return LookupDistro(cfg, ref)
}

// ReleaseVer is the release-ver of the distro version ("" when not defined).
func (d Distro) ReleaseVer() string {
	if d.Version == nil {
		return ""
	}
	return d.Version.ReleaseVer
}

// MockConfig is the version's mock configuration file ("" when not defined).
func (d Distro) MockConfig() string {
	if d.Version == nil {
		return ""
	}
	return d.Version.MockConfig
}

// LookasideTemplate is the distro's lookaside URI template ("" when not defined).
func (d Distro) LookasideTemplate() string {
	if d.Definition == nil {
		return ""
	}
	return d.Definition.LookasideBaseURI
}

// SpecSummary describes where a component's spec comes from, as listings
// show it: the local spec path, or the upstream distro, version and pin.
func SpecSummary(cfg *config.Config, c *Component) string {
	s := c.Config.Spec
	if s.Type != config.SpecTypeUpstream {
		return cfg.Display(s.Path)
	}
	d := LookupDistro(cfg, s.UpstreamDistro)
	out := fmt.Sprintf("Upstream: %s %s", d.Ref.Name, d.VersionName)
	if s.UpstreamCommit != "" {
		out += " @" + s.UpstreamCommit
	}
	return out
}
