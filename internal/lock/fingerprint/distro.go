package fingerprint

import (
	"github.com/azlforge/azldev/internal/config"
	"github.com/azlforge/azldev/internal/resolve"
)

// ResolutionInputsOf collects the resolution inputs of a resolved component.
func ResolutionInputsOf(cfg *config.Config, c *config.ComponentConfig) ResolutionInputs {
	d := resolve.SourceDistro(cfg, c)
	in := ResolutionInputs{
		Snapshot:          d.Ref.Snapshot,
		DistroName:        d.Ref.Name,
		DistroVersion:     d.Ref.Version,
		UpstreamCommitPin: c.Spec.UpstreamCommit,
		UpstreamName:      c.Spec.UpstreamName,
	}
	if d.Definition != nil {
		in.DistGitBaseURI = d.Definition.DistGitBaseURI
	}
	if d.Version != nil {
		in.DistGitBranch = d.Version.DistGitBranch
	}
	return in
}
