package repo

import (
	"strings"
	"testing"

	"github.com/azlforge/azldev/internal/config"
)

func testConfig() *config.Config {
	cfg := &config.Config{}
	cfg.Project.DefaultDistro = config.DistroReference{Name: "azl"}
	cfg.Resources.RPMRepoSetTemplates = map[string]*config.RPMRepoSetTemplate{
		"t": {Subrepos: []config.SubrepoSpec{{Name: "bin", Subpath: "os/$basearch"}, {Name: "src", Subpath: "/src"}}},
	}
	cfg.Resources.RPMRepoSets = map[string]*config.RPMRepoSet{
		"s":   {Template: "t", BaseURI: "https://e.org/4/", Subrepos: []string{"bin"}},
		"p":   {Template: "t", BaseURI: "https://e.org/p", NamePrefix: "px-"},
		"arm": {Template: "t", BaseURI: "https://e.org/arm", Arches: []string{"aarch64"}},
	}
	cfg.Resources.RPMRepos = map[string]*config.RPMRepoResource{"ml": {Metalink: "https://m.org/?arch=$basearch"}}
	cfg.Distros = map[string]*config.DistroDefinition{"azl": {DefaultVersion: "4", Versions: map[string]*config.DistroVersionDefinition{
		"4": {ReleaseVer: "4.0", Inputs: config.DistroVersionInputs{
			RPMBuild:   []config.DistroVersionInput{{Set: "s"}, {Set: "p"}, {Set: "arm"}, {Repo: "ml"}},
			ImageBuild: []config.DistroVersionInput{{Repo: "missing"}},
		}},
	}}}
	return cfg
}

func ids(repos []Repo) string {
	var s []string
	for _, r := range repos {
		s = append(s, r.ID+"="+r.BaseURL+r.Metalink)
	}
	return strings.Join(s, " ")
}

func TestFromPrefixes(t *testing.T) {
	cfg := testConfig()
	repos, err := FromPrefixes(cfg, []string{"https://a/x/"}, "t", "x86_64")
	if err != nil || ids(repos) != "bin=https://a/x/os/x86_64 src=https://a/x/src" {
		t.Errorf("one prefix: %s, %v", ids(repos), err)
	}
	repos, _ = FromPrefixes(cfg, []string{"https://a", "https://b"}, "t", "aarch64")
	if ids(repos) != "bin-1=https://a/os/aarch64 src-1=https://a/src bin-2=https://b/os/aarch64 src-2=https://b/src" {
		t.Errorf("two prefixes: %s", ids(repos))
	}
	if _, err := FromPrefixes(cfg, []string{"https://a"}, "nope", "x86_64"); err == nil || !strings.Contains(err.Error(), "(defined: t)") {
		t.Errorf("unknown template: %v", err)
	}
}

func TestFromDistro(t *testing.T) {
	cfg := testConfig()
	repos, rel, err := FromDistro(cfg, "", UseRPMBuild, "x86_64")
	want := "s-bin=https://e.org/4/os/x86_64 px-bin=https://e.org/p/os/x86_64 px-src=https://e.org/p/src ml=https://m.org/?arch=x86_64"
	if err != nil || rel != "4.0" || ids(repos) != want {
		t.Errorf("got %s, %q, %v", ids(repos), rel, err)
	}
	for _, tc := range []struct{ version, useCase, want string }{
		{"4", UseImageBuild, `distro "azl" version "4" image-build inputs: undefined repository "missing"`},
		{"5", UseRPMBuild, `distro "azl" has no version "5"`},
		{"4", "other", `invalid use case "other"`},
	} {
		if _, _, err := FromDistro(cfg, tc.version, tc.useCase, "x86_64"); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s %s: %v", tc.version, tc.useCase, err)
		}
	}
	cfg.Project.DefaultDistro.Name = ""
	if _, _, err := FromDistro(cfg, "", UseRPMBuild, "x86_64"); err == nil || !strings.Contains(err.Error(), "give --repo-prefix") {
		t.Errorf("no default distro: %v", err)
	}
}

func TestRepoFile(t *testing.T) {
	got := string(repoFile([]Repo{{ID: "a", BaseURL: "https://a"}, {ID: "m", Metalink: "https://m"}}))
	want := "[a]\nname=a\nenabled=1\ngpgcheck=0\nskip_if_unavailable=0\nbaseurl=https://a\n\n[m]\nname=m\nenabled=1\ngpgcheck=0\nskip_if_unavailable=0\nmetalink=https://m\n\n"
	if got != want {
		t.Errorf("got\n%s", got)
	}
}
