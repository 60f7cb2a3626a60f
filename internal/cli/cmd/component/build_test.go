package component

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/azlforge/azldev/internal/cli/app"
	"github.com/azlforge/azldev/internal/resolve"
	"github.com/azlforge/azldev/internal/testutil"
)

func TestBuildOptionsValidate(t *testing.T) {
	ok := BuildOptions{Jobs: 1, PreserveBuildEnv: "on-failure", MockConfigOpts: []string{"a=b", "c="}}
	if err := ok.validate(); err != nil {
		t.Fatal(err)
	}
	for want, change := range map[string]func(*BuildOptions){
		"--local-repo-with-publish cannot be used with --srpm-only": func(o *BuildOptions) { o.SRPMOnly, o.PublishRepo = true, "/r" },
		"--jobs must be at least 1":                                 func(o *BuildOptions) { o.Jobs = 0 },
		"--mock-config-opt wants KEY=VALUE, got novalue":            func(o *BuildOptions) { o.MockConfigOpts = []string{"novalue"} },
		`invalid --preserve-buildenv "sometimes"`:                   func(o *BuildOptions) { o.PreserveBuildEnv = "sometimes" },
	} {
		o := ok
		change(&o)
		if err := o.validate(); err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("got %v, want %s", err, want)
		}
	}
}

// newBuildApp returns an App on a project with a buildable component.
func newBuildApp(t *testing.T) (*app.App, *bytes.Buffer, *bytes.Buffer, string) {
	t.Helper()
	dir := testutil.WriteTree(t, map[string]string{
		"azldev.toml":    "[components.tiny]\nspec = { type = \"local\", path = \"tiny/tiny.spec\" }\n[components.tiny.publish]\nrpm-channel = \"base\"\n",
		"tiny/tiny.spec": testutil.NoarchSpec("tiny", "1.0", ""),
	})
	var out, errb bytes.Buffer
	a := app.New(&out, &errb)
	a.Opts.Project, a.Opts.OutputFormat = dir, "csv"
	a.SetupLogging()
	t.Cleanup(a.Close)
	return a, &out, &errb, dir
}

func TestRunBuild(t *testing.T) {
	testutil.NeedPrograms(t, "rpmbuild", "rpmspec", "rpm")
	a, out, errb, dir := newBuildApp(t)
	opts := BuildOptions{Selection: app.Selection{Selection: resolve.Selection{All: true}}, Jobs: 1, PreserveBuildEnv: "on-failure", WithoutGit: true}
	if err := runBuild(context.Background(), a, opts); err != nil {
		t.Fatalf("%v\n%s", err, errb)
	}
	want := "Component,Status,SRPMs,RPMs\ntiny,built,tiny-1.0-1.src.rpm,tiny-1.0-1.noarch.rpm (base)\n"
	if out.String() != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
	if !strings.Contains(errb.String(), "the project has no mock configuration: building on the host with the rpmbuild backend") {
		t.Errorf("log:\n%s", errb)
	}
	for _, p := range []string{"out/srpms/tiny-1.0-1.src.rpm", "out/rpms/base/tiny-1.0-1.noarch.rpm"} {
		if _, err := os.Stat(filepath.Join(dir, p)); err != nil {
			t.Error(err)
		}
	}
}

func TestRunBuildDryRunBuildsNothing(t *testing.T) {
	testutil.NeedPrograms(t, "rpmbuild")
	a, out, errb, dir := newBuildApp(t)
	a.Opts.DryRun = true
	opts := BuildOptions{Selection: app.Selection{Selection: resolve.Selection{All: true}}, Jobs: 1, PreserveBuildEnv: "on-failure", Backend: "rpmbuild"}
	if err := runBuild(context.Background(), a, opts); err != nil {
		t.Fatal(err)
	}
	if out.Len() != 0 || !strings.Contains(errb.String(), "Dry run: nothing built components=tiny backend=rpmbuild") {
		t.Errorf("out %q, log:\n%s", out, errb)
	}
	if _, err := os.Stat(filepath.Join(dir, "out")); !os.IsNotExist(err) {
		t.Errorf("out exists: %v", err)
	}
}

func TestRunBuildEmptySelectionPrintsEmptyJSON(t *testing.T) {
	testutil.NeedPrograms(t, "rpmbuild")
	a, out, _, _ := newBuildApp(t)
	a.Opts.OutputFormat = "json"
	if err := runBuild(context.Background(), a, BuildOptions{Jobs: 1, PreserveBuildEnv: "on-failure", Backend: "rpmbuild"}); err != nil {
		t.Fatal(err)
	}
	if out.String() != "[]\n" {
		t.Errorf("got %q", out)
	}
}

func TestRunBuildValidatesLocks(t *testing.T) {
	dir := testutil.WriteTree(t, map[string]string{"azldev.toml": `[project]
default-distro = { name = "d", version = "1" }
[distros.d]
default-version = "1"
dist-git-base-uri = "file:///nonexistent/$pkg"
[distros.d.versions.1]
release-ver = "1"
dist-git-branch = "main"
[components.up]
spec = { type = "upstream" }
`})
	var out, errb bytes.Buffer
	a := app.New(&out, &errb)
	a.Opts.Project = dir
	a.SetupLogging()
	t.Cleanup(a.Close)
	opts := BuildOptions{Selection: app.Selection{Selection: resolve.Selection{All: true}}, Jobs: 1, PreserveBuildEnv: "on-failure", Backend: "rpmbuild"}
	err := runBuild(context.Background(), a, opts)
	if err == nil || !strings.HasPrefix(err.Error(), "lock file validation failed:") {
		t.Fatalf("got %v", err)
	}
	if !strings.Contains(errb.String(), "Lock validation failed component=up") {
		t.Errorf("log:\n%s", errb.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "build", "work")); !os.IsNotExist(err) {
		t.Errorf("a build started: %v", err)
	}
}
