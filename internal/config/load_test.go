package config

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/azlforge/azldev/internal/testutil"
)

func writeTree(t *testing.T, files map[string]string) string { return testutil.WriteTree(t, files) }

// TestIncludeOrder checks pre-order globbing: a directory's files (byte
// order) before its subdirectories, depth-first through nested includes.
func TestIncludeOrder(t *testing.T) {
	dir := writeTree(t, map[string]string{
		RootFileName: "includes = [\"c/**/*.toml\", \"last.toml\"]\n",
		"c/A.toml":   "", "c/a.toml": "includes = [\"nested/n.inc\"]\n", "c/m.toml": "",
		"c/a/x.toml": "", "c/a/b/y.toml": "", "c/z/w.toml": "", "c/nested/n.inc": "",
		"last.toml": "",
	})
	cfg, err := Load(Options{StartDir: filepath.Join(dir, "c", "a"), NoDefaults: true})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range cfg.LoadedFiles {
		rel, _ := filepath.Rel(dir, f)
		got = append(got, rel)
	}
	want := []string{RootFileName, "c/A.toml", "c/a.toml", "c/nested/n.inc", "c/m.toml", "c/a/x.toml", "c/a/b/y.toml", "c/z/w.toml", "last.toml"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("load order\n got %v\nwant %v", got, want)
	}
}

// TestDiamondIncludeIsCycle mirrors the reference: one file included from two parents is a cycle.
func TestDiamondIncludeIsCycle(t *testing.T) {
	dir := writeTree(t, map[string]string{
		RootFileName:  "includes = [\"a.toml\", \"b.toml\"]\n",
		"a.toml":      "includes = [\"shared.toml\"]\n",
		"b.toml":      "includes = [\"shared.toml\"]\n",
		"shared.toml": "",
	})
	_, err := Load(Options{StartDir: dir})
	if err == nil || !strings.Contains(err.Error(), "b.toml:1:") || !strings.Contains(err.Error(), "circular include") {
		t.Fatalf("err = %v", err)
	}
}

// TestMergeRules checks distro version replacement, project overrides,
// user config and --config-file order.
func TestMergeRules(t *testing.T) {
	dir := writeTree(t, map[string]string{
		RootFileName: `includes = ["more.toml"]
[project]
description = "root"
work-dir = "w"
[distros.d]
description = "first"
repos = [{ base-uri = "https://a" }, { base-uri = "https://b" }]
[distros.d.versions.1]
release-ver = "1"
dist-git-branch = "one"
mock-config-x86_64 = "mock/x.cfg"
mock-config-aarch64 = "mock/a.cfg"
`,
		"more.toml": `[distros.d]
repos = [{ base-uri = "https://c" }]
[distros.d.versions.1]
release-ver = "1b"
`,
		"user/azldev/config.toml": "[project]\ndescription = \"user\"\n",
		"extra.toml":              "[project]\noutput-dir = \"elsewhere\"\n",
	})
	cfg, err := Load(Options{StartDir: dir, HostArch: "aarch64", UserConfig: filepath.Join(dir, "user/azldev/config.toml"),
		ExtraFiles: []string{filepath.Join(dir, "extra.toml")}})
	if err != nil {
		t.Fatal(err)
	}
	d := cfg.Distros["d"]
	if d.Description != "first" || len(d.Repos) != 1 || d.Repos[0].BaseURI != "https://c" {
		t.Errorf("distro fields: %+v", d)
	}
	if v := d.Versions["1"]; v.ReleaseVer != "1b" || v.DistGitBranch != "" || v.MockConfig != "" {
		t.Errorf("re-declared version must replace the whole entry: %+v", v)
	}
	if cfg.Project.Description != "user" || cfg.Project.WorkDir != filepath.Join(dir, "w") || cfg.Project.OutputDir != filepath.Join(dir, "elsewhere") {
		t.Errorf("project: %+v", cfg.Project)
	}
	if cfg.Project.LockDir != filepath.Join(dir, "locks") || cfg.Project.RenderedSpecsDir != filepath.Join(dir, "specs") {
		t.Errorf("directory defaults: %+v", cfg.Project)
	}
	if cfg.Tools.ImageCustomizer.ContainerTag == "" || cfg.Resources.RPMRepoSetTemplates["azl-standard"] == nil {
		t.Error("embedded defaults missing")
	}
}

func TestMockConfigForHostArch(t *testing.T) {
	dir := writeTree(t, map[string]string{RootFileName: "[distros.d.versions.1]\nrelease-ver = \"1\"\nmock-config-x86_64 = \"m/x.cfg\"\nmock-config-aarch64 = \"m/a.cfg\"\n"})
	for arch, want := range map[string]string{"x86_64": "m/x.cfg", "aarch64": "m/a.cfg"} {
		cfg, err := Load(Options{StartDir: dir, HostArch: arch})
		if err != nil {
			t.Fatal(err)
		}
		v := cfg.Distros["d"].Versions["1"]
		if v.MockConfig != filepath.Join(dir, want) || v.MockConfigX8664 != "m/x.cfg" {
			t.Errorf("%s: %+v", arch, v)
		}
	}
}

func TestPermissiveConfig(t *testing.T) {
	dir := writeTree(t, map[string]string{RootFileName: "[project]\ncolour = \"blue\"\n[component-groups.g]\ncomponents = [\"missing\"]\n"})
	if _, err := Load(Options{StartDir: dir}); err == nil {
		t.Fatal("strict load accepted an unknown key")
	}
	cfg, err := Load(Options{StartDir: dir, Permissive: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Warnings) != 2 || !strings.Contains(cfg.Warnings[0], "azldev.toml:2:1: unknown field `project.colour`") {
		t.Errorf("warnings: %q", cfg.Warnings)
	}
}

func TestNoProject(t *testing.T) {
	if _, err := Load(Options{StartDir: t.TempDir()}); err != ErrNoProject {
		t.Fatalf("err = %v", err)
	}
}

// TestSplitDecodeMatchesCorpus checks that the real components.toml decodes
// to the same result whole and in parts.
func TestSplitDecodeMatchesCorpus(t *testing.T) {
	data, err := os.ReadFile(corpusOrSkip(t) + "/base/comps/components.toml")
	if err != nil {
		t.Fatal(err)
	}
	if splitDocument(data) == nil {
		t.Fatal("components.toml was not split")
	}
	l := &loader{cfg: &Config{}}
	whole, err := l.decodeWhole("c", data)
	if err != nil {
		t.Fatal(err)
	}
	split, err := l.decode("c", data)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(whole, split) {
		t.Fatal("split decode differs")
	}
}

// TestGlobsInMetacharacterDirectory (finding 7): a project whose path holds
// glob metacharacters loads its includes and its groups' spec patterns.
func TestGlobsInMetacharacterDirectory(t *testing.T) {
	for _, name := range []string{"a[1]", "b{x,y}", "c*?", `d\e`} {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), name)
			files := map[string]string{
				RootFileName:            "includes = [\"comps/*.toml\"]\n",
				"comps/a.toml":          "[components.a]\n",
				"comps/g.toml":          "[component-groups.g]\nspecs = [\"specs/*.spec\"]\nexcluded-paths = [\"specs/skip.spec\"]\n",
				"comps/specs/s.spec":    "Name: s\n",
				"comps/specs/skip.spec": "Name: skip\n",
			}
			for f, content := range files {
				must(t, os.MkdirAll(filepath.Dir(filepath.Join(dir, f)), 0o755))
				must(t, os.WriteFile(filepath.Join(dir, f), []byte(content), 0o644))
			}
			cfg, err := Load(Options{StartDir: dir, NoDefaults: true})
			must(t, err)
			if !cfg.HasComponent("a") {
				t.Fatalf("the include was not loaded: %v", cfg.LoadedFiles)
			}
			matches, err := Glob("", cfg.ComponentGroups["g"].Specs[0])
			must(t, err)
			if len(matches) != 2 || filepath.Dir(matches[0]) != filepath.Join(dir, "comps", "specs") {
				t.Fatalf("spec pattern matched %v", matches)
			}
		})
	}
}

// TestGlobErrorNamesAbsolutePath (finding 8): an I/O error under an include
// glob names the real path, not one relative to the glob's base.
func TestGlobErrorNamesAbsolutePath(t *testing.T) {
	dir := writeTree(t, map[string]string{RootFileName: "includes = [\"comps/*/*.toml\", \"self/*.toml\"]\n"})
	must(t, os.MkdirAll(filepath.Join(dir, "comps"), 0o755))
	// A link to itself fails with ELOOP even for root, like an unreadable directory would.
	must(t, os.Symlink("loop", filepath.Join(dir, "comps", "loop")))
	_, err := Load(Options{StartDir: dir, NoDefaults: true})
	if err == nil || !strings.Contains(err.Error(), filepath.Join(dir, "comps", "loop")+":") {
		t.Fatalf("err = %v, want the absolute path of comps/loop", err)
	}
	must(t, os.Remove(filepath.Join(dir, "comps", "loop")))
	must(t, os.Symlink("self", filepath.Join(dir, "self")))
	_, err = Load(Options{StartDir: dir, NoDefaults: true})
	if err == nil || !strings.Contains(err.Error(), "open "+filepath.Join(dir, "self")+":") {
		t.Fatalf("err = %v, want the absolute path of the glob's base", err)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
