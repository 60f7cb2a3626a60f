package upstream

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/azlforge/azldev/internal/config"
	"github.com/azlforge/azldev/internal/foundation/git"
	"github.com/azlforge/azldev/internal/resolve"
	"github.com/azlforge/azldev/internal/source/distgit"
	"github.com/azlforge/azldev/internal/testutil"
)

const (
	distGit   = "https://src.fedoraproject.org/rpms/$pkg.git"
	lookaside = "https://src.fedoraproject.org/repo/pkgs/$pkg/$filename/$hashtype/$hash/$filename"
)

// testConfig has fedora (43 default, 42, and "nobranch" without a
// dist-git branch), "bare" (no dist-git at all) and "azl" (project default
// distro, local-only).
func testConfig() *config.Config {
	return &config.Config{File: config.File{
		Project: config.ProjectInfo{DefaultDistro: config.DistroReference{Name: "fedora", Version: "42", Snapshot: "2026-01-01T00:00:00Z"}},
		Distros: map[string]*config.DistroDefinition{
			"fedora": {
				DefaultVersion: "43", DistGitBaseURI: distGit, LookasideBaseURI: lookaside,
				Versions: map[string]*config.DistroVersionDefinition{
					"43":       {ReleaseVer: "43", DistGitBranch: "f43"},
					"42":       {ReleaseVer: "42", DistGitBranch: "f42"},
					"nobranch": {ReleaseVer: "99"},
				},
			},
			"nolookaside": {
				DefaultVersion: "1", DistGitBaseURI: distGit,
				Versions: map[string]*config.DistroVersionDefinition{"1": {ReleaseVer: "1", DistGitBranch: "main"}},
			},
			"nodistgit": {
				DefaultVersion: "1", LookasideBaseURI: lookaside,
				Versions: map[string]*config.DistroVersionDefinition{"1": {ReleaseVer: "1", DistGitBranch: "main"}},
			},
			"nodefault": {
				DistGitBaseURI: distGit, LookasideBaseURI: lookaside,
				Versions: map[string]*config.DistroVersionDefinition{"1": {ReleaseVer: "1", DistGitBranch: "main"}},
			},
			"relative": {
				DefaultVersion: "1", DistGitBaseURI: "rpms/$pkg.git", LookasideBaseURI: lookaside,
				Versions: map[string]*config.DistroVersionDefinition{"1": {ReleaseVer: "1", DistGitBranch: "main"}},
			},
		},
	}}
}

func component(name string, spec config.SpecSource) *resolve.Component {
	spec.Type = config.SpecTypeUpstream
	return &resolve.Component{Name: name, Config: config.ComponentConfig{Spec: spec}}
}

func TestRefOf(t *testing.T) {
	fedora := func(version, snapshot string) config.DistroReference {
		return config.DistroReference{Name: "fedora", Version: version, Snapshot: snapshot}
	}
	tests := []struct {
		name   string
		comp   *resolve.Component
		want   Ref
		errHas string
	}{
		{
			name: "explicit distro, version and snapshot",
			comp: component("hello", config.SpecSource{UpstreamDistro: fedora("43", "2026-02-24T00:00:00-08:00")}),
			want: Ref{Package: "hello", RepoURL: "https://src.fedoraproject.org/rpms/hello.git", Branch: "f43",
				Snapshot: "2026-02-24T00:00:00-08:00", LookasideTemplate: lookaside, DistroName: "fedora", ReleaseVer: "43"},
		},
		{
			name: "default version of the named distro",
			comp: component("hello", config.SpecSource{UpstreamDistro: fedora("", "")}),
			want: Ref{Package: "hello", RepoURL: "https://src.fedoraproject.org/rpms/hello.git", Branch: "f43",
				LookasideTemplate: lookaside, DistroName: "fedora", ReleaseVer: "43"},
		},
		{
			name: "project default distro, with its snapshot",
			comp: component("hello", config.SpecSource{}),
			want: Ref{Package: "hello", RepoURL: "https://src.fedoraproject.org/rpms/hello.git", Branch: "f42",
				Snapshot: "2026-01-01T00:00:00Z", LookasideTemplate: lookaside, DistroName: "fedora", ReleaseVer: "42"},
		},
		{
			name: "a snapshot without a distro name does not select a distro",
			comp: component("hello", config.SpecSource{UpstreamDistro: config.DistroReference{Snapshot: "2030-01-01T00:00:00Z"}}),
			want: Ref{Package: "hello", RepoURL: "https://src.fedoraproject.org/rpms/hello.git", Branch: "f42",
				Snapshot: "2026-01-01T00:00:00Z", LookasideTemplate: lookaside, DistroName: "fedora", ReleaseVer: "42"},
		},
		{
			name: "upstream-name selects the repository and package; pin verbatim",
			comp: component("python-foo", config.SpecSource{UpstreamDistro: fedora("43", ""), UpstreamName: "foo", UpstreamCommit: "abc1234"}),
			want: Ref{Package: "foo", RepoURL: "https://src.fedoraproject.org/rpms/foo.git", Branch: "f43", Pin: "abc1234",
				LookasideTemplate: lookaside, DistroName: "fedora", ReleaseVer: "43"},
		},
		{
			name: "package name is path-escaped",
			comp: component("gtk+ x", config.SpecSource{UpstreamDistro: fedora("43", "")}),
			want: Ref{Package: "gtk+ x", RepoURL: "https://src.fedoraproject.org/rpms/gtk+%20x.git", Branch: "f43",
				LookasideTemplate: lookaside, DistroName: "fedora", ReleaseVer: "43"},
		},

		{name: "undefined distro", comp: component("hello", config.SpecSource{UpstreamDistro: config.DistroReference{Name: "debian"}}),
			errHas: "component `hello`: upstream distro `debian` is not defined"},
		{name: "undefined version", comp: component("hello", config.SpecSource{UpstreamDistro: fedora("41", "")}),
			errHas: "component `hello`: version `41` of upstream distro `fedora` is not defined"},
		{name: "no default version", comp: component("hello", config.SpecSource{UpstreamDistro: config.DistroReference{Name: "nodefault"}}),
			errHas: "version `` of upstream distro `nodefault` is not defined"},
		{name: "no dist-git branch", comp: component("hello", config.SpecSource{UpstreamDistro: fedora("nobranch", "")}),
			errHas: "upstream distro `fedora` nobranch needs dist-git-base-uri, dist-git-branch and lookaside-base-uri"},
		{name: "no lookaside", comp: component("hello", config.SpecSource{UpstreamDistro: config.DistroReference{Name: "nolookaside"}}),
			errHas: "needs dist-git-base-uri, dist-git-branch and lookaside-base-uri"},
		{name: "no dist-git", comp: component("hello", config.SpecSource{UpstreamDistro: config.DistroReference{Name: "nodistgit"}}),
			errHas: "needs dist-git-base-uri, dist-git-branch and lookaside-base-uri"},
		{name: "relative dist-git URI", comp: component("hello", config.SpecSource{UpstreamDistro: config.DistroReference{Name: "relative"}}),
			errHas: "component `hello`: dist-git URL \"rpms/hello.git\" must be absolute"},
		{name: "upstream-name containing $pkg", comp: component("hello", config.SpecSource{UpstreamDistro: fedora("43", ""), UpstreamName: "x$pkg"}),
			errHas: "component `hello`: package name \"x$pkg\" must not contain $pkg"},
		{name: "component name containing $pkg", comp: component("$pkg", config.SpecSource{UpstreamDistro: fedora("43", "")}),
			errHas: "must not contain $pkg"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := RefOf(testConfig(), tt.comp)
			if tt.errHas != "" {
				if err == nil || !strings.Contains(err.Error(), tt.errHas) {
					t.Fatalf("got %+v, %v; want an error containing %q", got, err, tt.errHas)
				}
				if got != (Ref{}) {
					t.Errorf("partial ref %+v with an error", got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestResolverResolveCommit(t *testing.T) {
	t.Setenv("GIT_CONFIG_GLOBAL", os.DevNull)
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	root := t.TempDir()
	day := func(d int) time.Time { return time.Date(2026, 2, d, 0, 0, 0, 0, time.UTC) }
	commit := func(msg string, when time.Time) testutil.Commit {
		return testutil.Commit{Files: map[string][]byte{"hello.spec": []byte(msg)}, Message: msg, Author: "P", Email: "p@x", Time: when}
	}
	if err := testutil.BareRepo(filepath.Join(root, "hello.git"), "f43",
		[]testutil.Commit{commit("one", day(20)), commit("two", day(26))}); err != nil {
		t.Fatal(err)
	}
	out, err := git.Repo{Env: []string{"GIT_DIR=" + filepath.Join(root, "hello.git")}}.Output(context.Background(), "rev-parse", "f43", "f43^")
	if err != nil {
		t.Fatal(err)
	}
	ids := strings.Fields(out) // tip, first commit
	cfg := testConfig()
	cfg.Distros["fedora"].DistGitBaseURI = "file://" + root + "/$pkg.git"
	r := &Resolver{Config: cfg, Provider: &distgit.Provider{}}

	tests := []struct {
		name   string
		spec   config.SpecSource
		want   string
		errHas string
	}{
		{name: "branch tip", spec: config.SpecSource{UpstreamDistro: config.DistroReference{Name: "fedora", Version: "43"}}, want: ids[0]},
		{name: "snapshot", spec: config.SpecSource{UpstreamDistro: config.DistroReference{Name: "fedora", Version: "43", Snapshot: "2026-02-24T00:00:00-08:00"}}, want: ids[1]},
		{name: "pin wins", spec: config.SpecSource{UpstreamDistro: config.DistroReference{Name: "fedora", Version: "43", Snapshot: "2026-02-24T00:00:00Z"}, UpstreamCommit: "abc1234"}, want: "abc1234"},
		{name: "missing repository", spec: config.SpecSource{UpstreamDistro: config.DistroReference{Name: "fedora", Version: "43"}, UpstreamName: "nope"}, errHas: "nope.git"},
		{name: "missing branch", spec: config.SpecSource{UpstreamDistro: config.DistroReference{Name: "fedora", Version: "42"}}, errHas: `branch "f42" not found`},
		{name: "bad ref", spec: config.SpecSource{UpstreamDistro: config.DistroReference{Name: "debian"}}, errHas: "not defined"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := r.ResolveCommit(context.Background(), component("hello", tt.spec))
			if tt.errHas != "" {
				if err == nil || !strings.Contains(err.Error(), tt.errHas) {
					t.Fatalf("got %q, %v; want an error containing %q", got, err, tt.errHas)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}
