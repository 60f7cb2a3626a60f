package fingerprint

import (
	"testing"

	"github.com/azlforge/azldev/internal/config"
)

func testProject() *config.Config {
	cfg := &config.Config{}
	cfg.Project.DefaultDistro = config.DistroReference{Name: "azl", Version: "4.0", Snapshot: "2026-01-01T00:00:00Z"}
	cfg.Distros = map[string]*config.DistroDefinition{
		"fedora": {DefaultVersion: "43", DistGitBaseURI: "https://src/$pkg.git", Versions: map[string]*config.DistroVersionDefinition{
			"43": {ReleaseVer: "43", DistGitBranch: "f43"},
			"44": {ReleaseVer: "44", DistGitBranch: "f44"},
		}},
		"azl": {Versions: map[string]*config.DistroVersionDefinition{"4.0": {ReleaseVer: "4.0"}}},
	}
	return cfg
}

func TestResolutionInputsOf(t *testing.T) {
	cfg := testProject()
	c := &config.ComponentConfig{Spec: config.SpecSource{
		Type:           config.SpecTypeUpstream,
		UpstreamDistro: config.DistroReference{Name: "fedora", Snapshot: "2026-02-24T00:00:00-08:00"},
		UpstreamName:   "up",
		UpstreamCommit: "abc1234",
	}}
	want := ResolutionInputs{
		Snapshot:          "2026-02-24T00:00:00-08:00",
		DistroName:        "fedora",
		DistroVersion:     "", // as written: the default version applied
		DistGitBranch:     "f43",
		DistGitBaseURI:    "https://src/$pkg.git",
		UpstreamCommitPin: "abc1234",
		UpstreamName:      "up",
	}
	if got := ResolutionInputsOf(cfg, c); got != want {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}
