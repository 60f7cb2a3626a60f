package resolve

import (
	"testing"

	"github.com/azlforge/azldev/internal/config"
)

func distroProject() *config.Config {
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

func TestSourceDistro(t *testing.T) {
	cfg := distroProject()
	tests := []struct {
		name string
		ref  config.DistroReference
		want string
	}{
		{"explicit version", config.DistroReference{Name: "fedora", Version: "44"}, "44"},
		{"default version", config.DistroReference{Name: "fedora"}, "43"},
		{"project default distro", config.DistroReference{}, "4.0"},
		{"unknown distro", config.DistroReference{Name: "nope"}, ""},
		{"unknown version", config.DistroReference{Name: "fedora", Version: "9"}, ""},
	}
	for _, tt := range tests {
		c := &config.ComponentConfig{Spec: config.SpecSource{UpstreamDistro: tt.ref}}
		if got := SourceDistro(cfg, c).ReleaseVer(); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
	if got := SourceDistro(cfg, &config.ComponentConfig{}); got.Ref != cfg.Project.DefaultDistro || got.VersionName != "4.0" {
		t.Errorf("fallback: %+v", got)
	}
}
