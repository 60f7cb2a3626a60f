package fingerprint

import "github.com/azlforge/azldev/internal/config"

// SourceDistro returns the distro reference a component's spec comes from:
// its spec.upstream-distro, or the project's default distro when that names
// no distro. The version is returned as written (possibly empty).
func SourceDistro(cfg *config.Config, c *config.ComponentConfig) config.DistroReference {
	if c.Spec.UpstreamDistro.Name != "" {
		return c.Spec.UpstreamDistro
	}
	return cfg.Project.DefaultDistro
}

// distroVersion looks up the definition of ref's distro and of its version,
// defaulting the version to the distro's default-version. Either result is
// nil when not defined.
func distroVersion(cfg *config.Config, ref config.DistroReference) (*config.DistroDefinition, *config.DistroVersionDefinition) {
	d := cfg.Distros[ref.Name]
	if d == nil {
		return nil, nil
	}
	v := ref.Version
	if v == "" {
		v = d.DefaultVersion
	}
	return d, d.Versions[v]
}

// ReleaseVer returns the release-ver of the component's source distro
// version ("" when it is not defined): the `release_ver` fingerprint input.
func ReleaseVer(cfg *config.Config, c *config.ComponentConfig) string {
	if _, v := distroVersion(cfg, SourceDistro(cfg, c)); v != nil {
		return v.ReleaseVer
	}
	return ""
}

// ResolutionInputsOf collects the resolution inputs of a resolved component.
func ResolutionInputsOf(cfg *config.Config, c *config.ComponentConfig) ResolutionInputs {
	ref := SourceDistro(cfg, c)
	in := ResolutionInputs{
		Snapshot:          ref.Snapshot,
		DistroName:        ref.Name,
		DistroVersion:     ref.Version,
		UpstreamCommitPin: c.Spec.UpstreamCommit,
		UpstreamName:      c.Spec.UpstreamName,
	}
	d, v := distroVersion(cfg, ref)
	if d != nil {
		in.DistGitBaseURI = d.DistGitBaseURI
	}
	if v != nil {
		in.DistGitBranch = v.DistGitBranch
	}
	return in
}
