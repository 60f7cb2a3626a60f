package resolve

import (
	"reflect"
	"strings"
	"testing"

	"github.com/azlforge/azldev/internal/config"
	"github.com/azlforge/azldev/internal/testutil"
)

func newResolver(t *testing.T, files map[string]string) *Resolver {
	t.Helper()
	cfg, err := config.Load(config.Options{StartDir: testutil.WriteTree(t, files), HostArch: "x86_64"})
	if err != nil {
		t.Fatal(err)
	}
	r, err := New(cfg, false)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

const layered = `
[project]
default-distro = { name = "d" }

[distros.d]
default-version = "2"
[distros.d.versions.2]
release-ver = "2"
[distros.d.versions.2.default-component-config]
spec = { type = "upstream", upstream-distro = { name = "up", version = "9", snapshot = "2026-01-01T00:00:00Z" } }
build = { with = ["distro"], check = { skip = true, skip_reason = "distro" } }

[default-component-config.build]
with = ["project"]
defines = { a = "project", b = "project" }

[component-groups.zeta]
components = ["c"]
[component-groups.zeta.default-component-config]
build = { with = ["zeta"], defines = { b = "zeta" } }
overlay-files = ["z/*.toml"]

[component-groups.alpha]
components = ["c"]
[component-groups.alpha.default-component-config]
build = { with = ["alpha"] }

[components.c]
spec = { type = "upstream" }
overlay-files = []
[components.c.build]
with = ["own"]
check = { skip = false }
[[components.c.overlays]]
type = "spec-add-tag"
tag = "A"
value = "1"
`

// TestInheritanceLayers checks the layer order and the merge rules.
func TestInheritanceLayers(t *testing.T) {
	r := newResolver(t, map[string]string{"azldev.toml": layered})
	c, err := r.Resolve("c")
	if err != nil {
		t.Fatal(err)
	}
	b := c.Config.Build
	if want := []string{"distro", "project", "alpha", "zeta", "own"}; !reflect.DeepEqual(b.With, want) {
		t.Errorf("with = %v, want layers appended in order %v", b.With, want)
	}
	if b.Defines["a"] != "project" || b.Defines["b"] != "zeta" {
		t.Errorf("defines = %v", b.Defines)
	}
	if !b.Check.Skip {
		t.Error("a later false reset an inherited check.skip")
	}
	ud := c.Config.Spec.UpstreamDistro
	if ud.Name != "up" || ud.Version != "9" || ud.Snapshot == "" || c.Config.Spec.Type != "upstream" {
		t.Errorf("nested spec fields not merged field by field: %+v", c.Config.Spec)
	}
	if c.Config.Release.Calculation != "auto" {
		t.Errorf("release.calculation = %q", c.Config.Release.Calculation)
	}
	if len(c.Config.OverlayFiles) != 0 || len(c.Config.Overlays) != 1 {
		t.Errorf("overlay-files = [] must disable inherited patterns: %+v", c.Config.OverlayFiles)
	}
	if !reflect.DeepEqual(c.Groups, []string{"alpha", "zeta"}) {
		t.Errorf("groups = %v", c.Groups)
	}
	// Resolving twice must not share slices between results.
	c2, _ := r.Resolve("c")
	c2.Config.Build.With[0] = "changed"
	if c.Config.Build.With[0] != "distro" {
		t.Error("resolved components share storage")
	}
}

// TestPackageListSkipsDistroLayer checks that package publish channels ignore the distro-version defaults.
func TestPackageListSkipsDistroLayer(t *testing.T) {
	r := newResolver(t, map[string]string{"azldev.toml": `
[project]
default-distro = { name = "d", version = "1" }
[distros.d.versions.1]
release-ver = "1"
default-component-config = { publish = { rpm-channel = "from-distro" } }
[default-package-config]
publish = { channel = "default", debuginfo-channel = "debug" }
[components.c]
[components.c.packages.c-extra]
publish = { rpm-channel = "extra" }
[package-groups.g]
packages = ["c", "c-debuginfo", "orphan"]
default-package-config.publish.rpm-channel = "group"
`})
	pkgs, err := r.Packages([]string{"c", "c-debuginfo", "c-extra", "orphan", "unknown"})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, p := range pkgs {
		got[p.Name] = p.Component + "|" + p.PublishChannel
	}
	want := map[string]string{"c": "c|group", "c-debuginfo": "|debug", "c-extra": "c|extra", "orphan": "|group", "unknown": "|default"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v\nwant %v", got, want)
	}
}

// TestRPMChannelUsesTheFullyResolvedComponent checks the channels of built
// packages: the distro layer counts, groups and packages.<P> replace it.
func TestRPMChannelUsesTheFullyResolvedComponent(t *testing.T) {
	r := newResolver(t, map[string]string{"azldev.toml": `
[project]
default-distro = { name = "d", version = "1" }
[distros.d.versions.1]
release-ver = "1"
default-component-config = { publish = { rpm-channel = "from-distro", srpm-channel = "src" } }
[default-package-config]
publish = { channel = "default", debuginfo-channel = "debug" }
[components.c]
[components.c.packages.c-extra]
publish = { rpm-channel = "extra" }
[components.plain]
[package-groups.g]
packages = ["c-docs"]
default-package-config.publish.rpm-channel = "group"
`})
	c, err := r.Resolve("c")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, p := range []string{"c", "c-debuginfo", "c-extra", "c-docs"} {
		got[p] = r.RPMChannel(c, p)
	}
	want := map[string]string{"c": "from-distro", "c-debuginfo": "debug", "c-extra": "extra", "c-docs": "group"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v\nwant %v", got, want)
	}
	if c.Config.Publish.SRPMChannel != "src" {
		t.Errorf("srpm channel %q", c.Config.Publish.SRPMChannel)
	}
}

// TestSpecDiscoveryAndSelection covers group spec patterns and the selection flags.
func TestSpecDiscoveryAndSelection(t *testing.T) {
	r := newResolver(t, map[string]string{
		"azldev.toml": `
[component-groups.g]
specs = ["specs/**/*.spec"]
excluded-paths = ["**/skip/**"]
default-component-config = { build = { with = ["g"] } }
[component-groups.listed]
components = ["plain"]
[components.plain]
[components.found]
build = { with = ["own"] }
`,
		"specs/found/found.spec":  "Name: found\n",
		"specs/x/other.spec":      "Name: other\n",
		"specs/skip/skipped.spec": "Name: skipped\n",
	})
	if got := r.Names(); !reflect.DeepEqual(got, []string{"found", "other", "plain"}) {
		t.Fatalf("names = %v", got)
	}
	c, err := r.Resolve("found")
	if err != nil {
		t.Fatal(err)
	}
	if c.Config.Spec.Type != "local" || !strings.HasSuffix(c.Config.Spec.Path, "specs/found/found.spec") {
		t.Errorf("discovered spec: %+v", c.Config.Spec)
	}
	if !reflect.DeepEqual(c.Config.Build.With, []string{"g", "own"}) {
		t.Errorf("with = %v", c.Config.Build.With)
	}
	for _, tc := range []struct {
		sel  Selection
		want []string
		err  string
	}{
		{Selection{Patterns: []string{"o*"}}, []string{"other"}, ""},
		{Selection{Patterns: []string{"z*"}}, nil, ""},
		{Selection{Patterns: []string{"nope"}}, nil, "component not found"},
		{Selection{Groups: []string{"g"}}, []string{"found", "other"}, ""},
		{Selection{Groups: []string{"listed"}}, nil, ""},
		{Selection{Groups: []string{"nope"}}, nil, "component group not found"},
		{Selection{All: true, Patterns: []string{"nope"}}, []string{"found", "other", "plain"}, ""},
	} {
		got, err := r.Select(tc.sel)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%+v: error %v, want %q", tc.sel, err, tc.err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%+v: got %v %v, want %v", tc.sel, got, err, tc.want)
		}
	}
}

// TestOverlayFilesOrder checks sorting by base name, concatenation and de-duplication.
func TestOverlayFilesOrder(t *testing.T) {
	doc := func(tag string) string {
		return "[metadata]\ncategory = \"azl-pruning\"\nupstream-status = \"unknown\"\n[[overlays]]\ntype = \"spec-add-tag\"\ntag = \"" + tag + "\"\nvalue = \"v\"\nsource = \"s.patch\"\n"
	}
	r := newResolver(t, map[string]string{
		"azldev.toml": "includes = [\"comps/c.comp.toml\"]\n",
		"comps/c.comp.toml": `[components.c]
overlay-files = ["more/**/*.toml", "more/z/b.toml", "first.toml"]
[[components.c.overlays]]
type = "spec-add-tag"
tag = "Inline"
value = "v"
`,
		"comps/more/z/b.toml": doc("B"),
		"comps/more/a/c.toml": doc("C"),
		"comps/first.toml":    doc("First"),
	})
	c, err := r.Resolve("c")
	if err != nil {
		t.Fatal(err)
	}
	var tags []string
	for _, o := range c.Config.Overlays {
		tags = append(tags, o.Tag)
	}
	if want := []string{"Inline", "B", "C", "First"}; !reflect.DeepEqual(tags, want) {
		t.Errorf("order %v, want %v", tags, want)
	}
	o := c.Config.Overlays[1]
	if o.Metadata == nil || o.Metadata.Category != "azl-pruning" || !strings.HasSuffix(o.Source, "comps/more/z/s.patch") {
		t.Errorf("overlay-file overlay: %+v", o)
	}
}
