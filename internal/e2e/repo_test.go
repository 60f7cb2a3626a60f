package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// tinySpec builds one noarch package with a virtual provide.
const tinySpec = `Name: tiny
Version: 1.2
Release: 3
Summary: A tiny test package
License: MIT
BuildArch: noarch
Provides: tiny-capability = 1.2

%description
Tiny.

%install
mkdir -p %{buildroot}/usr/share/tiny
echo hi > %{buildroot}/usr/share/tiny/hello

%files
/usr/share/tiny/hello
`

// azlStandardSubpaths are the sub-repositories of the azl-standard template on x86_64.
var azlStandardSubpaths = []string{"base/x86_64", "base/debuginfo/x86_64", "base/srpms", "sdk/x86_64", "sdk/debuginfo/x86_64", "sdk/srpms"}

// localRepoTree builds tiny with rpmbuild and lays out an azl-standard tree
// of repositories made with createrepo_c, tiny in base/x86_64.
func localRepoTree(t *testing.T) string {
	t.Helper()
	for _, p := range []string{"rpmbuild", "createrepo_c", "dnf"} {
		if _, err := exec.LookPath(p); err != nil {
			t.Skipf("%s is not installed", p)
		}
	}
	work := t.TempDir()
	spec := filepath.Join(work, "tiny.spec")
	writeFile(t, spec, tinySpec)
	run := func(name string, args ...string) {
		t.Helper()
		if out, err := exec.Command(name, args...).CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", name, err, out)
		}
	}
	run("rpmbuild", "-bb", "--define", "_topdir "+filepath.Join(work, "top"), spec)
	tree := filepath.Join(work, "repo")
	for _, sub := range azlStandardSubpaths {
		if err := os.MkdirAll(filepath.Join(tree, sub), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	rpm := filepath.Join(work, "top", "RPMS", "noarch", "tiny-1.2-3.noarch.rpm")
	if err := os.Rename(rpm, filepath.Join(tree, "base", "x86_64", filepath.Base(rpm))); err != nil {
		t.Fatal(err)
	}
	for _, sub := range azlStandardSubpaths {
		run("createrepo_c", "-q", filepath.Join(tree, sub))
	}
	return tree
}

// repoProject is a project whose default distro takes tree as its rpm-build
// input (a repository set) and tree's base repository as image-build input.
func repoProject(t *testing.T, tree string) string {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "azldev.toml"), `[project]
default-distro = { name = "azl", version = "4.0" }
[distros.azl]
default-version = "4.0"
[distros.azl.versions."4.0"]
release-ver = "4.0"
inputs.rpm-build = [{ set = "local" }]
inputs.image-build = [{ repo = "tiny" }, { set = "elsewhere" }]
[resources.rpm-repo-sets.local]
template = "azl-standard"
base-uri = "file://`+tree+`"
disable-gpg-check = true
[resources.rpm-repo-sets.elsewhere]
template = "azl-standard"
base-uri = "file:///nonexistent"
arches = ["aarch64"]
disable-gpg-check = true
[resources.rpm-repos.tiny]
base-uri = "file://`+tree+`/base/$basearch"
disable-gpg-check = true
`)
	return dir
}

// TestRepoQuery queries a local repository tree made with rpmbuild and
// createrepo_c through --repo-prefix and through the distro's inputs.
func TestRepoQuery(t *testing.T) {
	if hostArch() != "x86_64" {
		t.Skip("the fixture lays out x86_64 repositories")
	}
	tree := localRepoTree(t)
	e := newEnv(t)
	dir := repoProject(t, tree)
	type pkg struct{ Name, Epoch, Version, Release, Arch, Repo string }
	query := func(args ...string) []pkg {
		t.Helper()
		var pkgs []pkg
		out := e.mustAzldev(dir, append([]string{"repo", "query", "-O", "json"}, args...)...)
		if err := json.Unmarshal([]byte(out), &pkgs); err != nil {
			t.Fatalf("%v: %s", err, out)
		}
		return pkgs
	}
	if got := query("--repo-prefix", "file://"+tree); len(got) != 1 || got[0] != (pkg{"tiny", "0", "1.2", "3", "noarch", "base"}) {
		t.Errorf("--repo-prefix: %+v", got)
	}
	if got := query(); len(got) != 1 || got[0].Repo != "local-base" {
		t.Errorf("rpm-build inputs: %+v", got)
	}
	if got := query("--use-case", "image-build", "--version", "4.0", "--", "--whatprovides", "tiny-capability"); len(got) != 1 || got[0].Repo != "tiny" {
		t.Errorf("image-build inputs: %+v", got)
	}
	if got := query("--repo-prefix", "file://"+tree, "nothing-like-this"); len(got) != 0 {
		t.Errorf("no match: %+v", got)
	}
	raw := e.mustAzldev(dir, "repo", "query", "--raw", "--", "--info", "tiny")
	if !strings.Contains(raw, "Summary      : A tiny test package") {
		t.Errorf("--raw --info:\n%s", raw)
	}
	table := e.mustAzldev(dir, "repo", "query")
	if !strings.Contains(table, "│ tiny │ 0     │ 1.2     │ 3       │ noarch │ local-base │") {
		t.Errorf("table:\n%s", table)
	}
}

// TestRepoQueryBadInput checks the refusals: flag combinations, unknown
// names, an unreadable repository, no project and no dnf.
func TestRepoQueryBadInput(t *testing.T) {
	e := newEnv(t)
	dir := repoProject(t, t.TempDir())
	type badCase struct {
		name string
		dir  string
		args []string
		want string
	}
	cases := []badCase{
		{"prefix with version", dir, []string{"--repo-prefix", "file:///x", "--version", "4.0"}, "--repo-prefix cannot be combined with --version or --use-case"},
		{"template without prefix", dir, []string{"--template", "koji-dist-repo"}, "--template needs --repo-prefix"},
		{"unknown template", dir, []string{"--repo-prefix", "file:///x", "--template", "nope"}, `unknown repository template "nope" (defined: azl-standard, koji-dist-repo)`},
		{"unknown version", dir, []string{"--version", "9"}, `distro "azl" has no version "9"`},
		{"bad use case", dir, []string{"--use-case", "testing"}, `invalid use case "testing"`},
		{"no project", t.TempDir(), []string{"--repo-prefix", "file:///x"}, "no Azure Linux project found"},
	}
	if _, err := exec.LookPath("dnf"); err == nil {
		cases = append(cases, badCase{"unreadable repository", dir, []string{"--repo-prefix", "file://" + t.TempDir()}, "dnf repoquery failed: Error: Failed to download metadata for repo 'base'"})
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, stderr, code := e.azldev(tc.dir, append([]string{"repo", "query"}, tc.args...)...)
			assertOneError(t, stderr, code, tc.want)
		})
	}
	t.Run("no dnf", func(t *testing.T) {
		e.set("PATH", t.TempDir())
		_, stderr, code := e.azldev(dir, "repo", "query", "--repo-prefix", "file:///x")
		assertOneError(t, stderr, code, "dnf is required but was not found in PATH; install it (e.g. `apt-get install dnf` or `dnf install dnf`)")
	})
}

// hostArch is the machine's RPM architecture.
func hostArch() string {
	out, err := exec.Command("uname", "-m").Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}
