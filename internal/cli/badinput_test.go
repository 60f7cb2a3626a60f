package cli

import (
	"regexp"
	"strings"
	"testing"

	"github.com/azlforge/azldev/internal/testutil"
)

// baseProject is a valid project; cases add or replace files to break it.
var baseProject = map[string]string{
	"azldev.toml": `includes = ["comps/*.comp.toml"]

[project]
description = "test"
default-distro = { name = "azl", version = "1" }

[distros.azl]
default-version = "1"

[distros.azl.versions.1]
release-ver = "1"
`,
	"comps/a.comp.toml": `[components.a]
spec = { type = "local", path = "a.spec" }
`,
	"comps/a.spec": "Name: a\n",
}

// writeProject lays out baseProject plus overrides (an empty value deletes a file).
func writeProject(t *testing.T, overrides map[string]string) string {
	t.Helper()
	files := map[string]string{}
	for k, v := range baseProject {
		files[k] = v
	}
	for k, v := range overrides {
		if v == "" {
			delete(files, k)
		} else {
			files[k] = v
		}
	}
	return testutil.WriteTree(t, files)
}

// badComp returns overrides that replace component a's config.
func badComp(toml string) map[string]string { return map[string]string{"comps/a.comp.toml": toml} }

const compHeader = "[components.a]\nspec = { type = \"local\", path = \"a.spec\" }\n"

// TestBadInputs checks that each broken configuration fails with an error
// whose first line names the file and line (or the component and overlay).
func TestBadInputs(t *testing.T) {
	cases := []struct {
		name  string
		files map[string]string
		args  []string // default: component list -a
		want  string   // regexp the first error line must match
	}{
		{"toml syntax error", badComp("[components.a\n"), nil, `comps/a\.comp\.toml:1:\d+: `},
		{"unknown field", badComp(compHeader + "colour = 1\n"), nil, `comps/a\.comp\.toml:3:1: unknown field .components\.a\.colour.`},
		{"unknown nested field", badComp(compHeader + "[[components.a.overlays]]\ntype = \"spec-add-tag\"\ntag = \"A\"\nvalue = \"b\"\npkg = \"x\"\n"), nil, `comps/a\.comp\.toml:7:1: unknown field .components\.a\.overlays\.pkg.`},
		{"wrong type", badComp(compHeader + "[[components.a.overlays]]\ntype = \"spec-prepend-lines\"\nlines = \"x\"\n"), nil, `comps/a\.comp\.toml:5:\d+: .*`},
		{"wrong type bool", badComp(compHeader + "build.check.skip = \"yes\"\n"), nil, `comps/a\.comp\.toml:3:\d+: .*bool`},
		{"duplicate component across files", map[string]string{"comps/b.comp.toml": "[components.a]\n"}, nil, `comps/b\.comp\.toml:1:\d+: duplicate component: a \(also defined in comps/a\.comp\.toml\)`},
		{"duplicate component group", map[string]string{"comps/b.comp.toml": "[component-groups.g]\n", "comps/c.comp.toml": "[component-groups.g]\n"}, nil, `comps/c\.comp\.toml:1:\d+: duplicate component group: g`},
		{"missing literal include", map[string]string{"azldev.toml": "includes = [\"nope.toml\"]\n"}, nil, `azldev\.toml:1:\d+: failed to find include file 'nope\.toml'`},
		{"empty include", map[string]string{"azldev.toml": "includes = [\"\"]\n"}, nil, `azldev\.toml:1:\d+: include pattern 1 is empty`},
		{"include cycle", map[string]string{"comps/b.comp.toml": "includes = [\"c.toml\"]\n", "comps/c.toml": "includes = [\"b.comp.toml\"]\n"}, nil, `comps/c\.toml:1:\d+: circular include detected`},
		{"invalid regex", badComp(compHeader + "[[components.a.overlays]]\ntype = \"spec-search-replace\"\nregex = \"foo(\"\nreplacement = \"x\"\n"), nil, `comps/a\.comp\.toml:5:1: invalid overlay 1 for component .a.: invalid regex`},
		{"lookahead regex", badComp(compHeader + "[[components.a.overlays]]\ntype = \"file-search-replace\"\nfile = \"x\"\nregex = \"a(?=b)\"\n"), nil, `comps/a\.comp\.toml:6:1: invalid overlay 1 .*invalid regex`},
		{"missing overlay value", badComp(compHeader + "[[components.a.overlays]]\ndescription = \"add it\"\ntype = \"spec-add-tag\"\ntag = \"BuildRequires\"\n"), nil, `comps/a\.comp\.toml:3:\d+: invalid overlay 1 for component .a.: overlay type .spec-add-tag. requires .value. field: add it`},
		{"unknown overlay type", badComp(compHeader + "[[components.a.overlays]]\ntype = \"spec-frobnicate\"\n"), nil, `comps/a\.comp\.toml:4:1: invalid overlay 1 .*unknown overlay type`},
		{"package without section", badComp(compHeader + "[[components.a.overlays]]\ntype = \"spec-append-lines\"\npackage = \"devel\"\nlines = [\"x\"]\n"), nil, `comps/a\.comp\.toml:5:1: .*requires .section.`},
		{"check skip without reason", badComp(compHeader + "[components.a.build.check]\nskip = true\n"), nil, `comps/a\.comp\.toml:4:1: component .a.: check\.skip_reason is required`},
		{"expected failure without reason", badComp(compHeader + "[components.a.build.failure]\nexpected = true\n"), nil, `comps/a\.comp\.toml:4:1: .*expected-reason is required`},
		{"per-component snapshot", badComp("[components.a]\nspec = { type = \"upstream\", upstream-distro = { name = \"azl\", snapshot = \"2026-01-01T00:00:00Z\" } }\n"), nil, `comps/a\.comp\.toml:2:\d+: component .a. has a per-component 'snapshot'`},
		{"bad upstream-commit", badComp("[components.a]\nspec = { type = \"upstream\", upstream-commit = \"g123456\" }\n"), nil, `comps/a\.comp\.toml:2:\d+: .*upstream-commit "g123456"`},
		{"upstream-commit on local spec", badComp("[components.a]\nspec = { type = \"local\", path = \"a.spec\", upstream-commit = \"abcdef1\" }\n"), nil, `comps/a\.comp\.toml:\d+:\d+: .*requires spec\.type = "upstream"`},
		{"invalid spec type", badComp("[components.a]\nspec = { type = \"remote\" }\n"), nil, `comps/a\.comp\.toml:2:\d+: .*spec\.type "remote"`},
		{"local spec without path", badComp("[components.a]\nspec = { type = \"local\" }\n"), nil, `comps/a\.comp\.toml:2:\d+: .*spec\.path is required`},
		{"invalid release calculation", badComp(compHeader + "release.calculation = \"magic\"\n"), nil, `comps/a\.comp\.toml:3:\d+: .*release\.calculation "magic"`},
		{"unknown distro reference", map[string]string{"azldev.toml": strings.Replace(baseProject["azldev.toml"], `name = "azl"`, `name = "nope"`, 1)}, nil, `azldev\.toml:5:\d+: project default-distro references undefined distro .nope.`},
		{"unknown distro version", map[string]string{"azldev.toml": strings.Replace(baseProject["azldev.toml"], `version = "1"`, `version = "9"`, 1)}, nil, `azldev\.toml:5:\d+: .*undefined version .9.`},
		{"group names unknown component", map[string]string{"comps/g.comp.toml": "[component-groups.g]\ncomponents = [\"nope\"]\n"}, nil, `comps/g\.comp\.toml:2:\d+: undefined component reference: component group .g. references component .nope.`},
		{"overlay source escapes project", badComp(compHeader + "[[components.a.overlays]]\ntype = \"patch-add\"\nsource = \"../../../etc/passwd\"\n"), nil, `comps/a\.comp\.toml:5:1: path .* is outside the project directory`},
		{"overlay file escapes sources dir", badComp(compHeader + "[[components.a.overlays]]\ntype = \"file-add\"\nfile = \"../x\"\nsource = \"a.spec\"\n"), nil, `comps/a\.comp\.toml:5:1: .*must be a relative path inside the sources directory`},
		{"absolute overlay file", badComp(compHeader + "[[components.a.overlays]]\ntype = \"file-remove\"\nfile = \"/etc/passwd\"\n"), nil, `comps/a\.comp\.toml:5:1: .*relative path`},
		{"rename to a path", badComp(compHeader + "[[components.a.overlays]]\ntype = \"file-rename\"\nfile = \"x\"\nreplacement = \"sub/y\"\n"), nil, `comps/a\.comp\.toml:6:1: .*bare file name`},
		{"archive on spec overlay", badComp(compHeader + "[[components.a.overlays]]\ntype = \"spec-add-tag\"\ntag = \"A\"\nvalue = \"b\"\narchive = \"x.tar.gz\"\n"), nil, `comps/a\.comp\.toml:7:1: .*cannot target an archive`},
		{"bad metadata category", badComp(compHeader + "[[components.a.overlays]]\ntype = \"spec-add-tag\"\ntag = \"A\"\nvalue = \"b\"\nmetadata = { category = \"whim\", upstream-status = \"unknown\" }\n"), nil, `comps/a\.comp\.toml:7:\d+: .*metadata category "whim"`},
		{"backport without commits", badComp(compHeader + "[[components.a.overlays]]\ntype = \"spec-add-tag\"\ntag = \"A\"\nvalue = \"b\"\nmetadata = { category = \"upstream-backport\", upstream-status = \"upstreamed\" }\n"), nil, `comps/a\.comp\.toml:7:\d+: .*requires at least one commit`},
		{"group bad metadata", map[string]string{"comps/g.comp.toml": "[component-groups.g]\nmetadata = { category = \"azl-pruning\", upstream-status = \"maybe\" }\n"}, nil, `comps/g\.comp\.toml:2:\d+: component group .g.: metadata upstream-status "maybe"`},
		{"source-files MD5", badComp(compHeader + "[[components.a.source-files]]\nfilename = \"x.tar.gz\"\nhash = \"abc\"\nhash-type = \"MD5\"\norigin = { type = \"download\", uri = \"https://example.com/x\" }\n"), nil, `comps/a\.comp\.toml:6:1: .*hash-type "MD5"`},
		{"source-files path name", badComp(compHeader + "[[components.a.source-files]]\nfilename = \"../x.tar.gz\"\norigin = { type = \"download\", uri = \"https://example.com/x\" }\n"), nil, `comps/a\.comp\.toml:4:1: .*bare file name`},
		{"source-files overlay origin", badComp(compHeader + "[[components.a.source-files]]\nfilename = \"x.tar.gz\"\norigin = { type = \"overlay\" }\n"), nil, `comps/a\.comp\.toml:3:\d+: .*replace-upstream = true`},
		{"publish channel with slash", badComp(compHeader + "publish.rpm-channel = \"a/b\"\n"), nil, `comps/a\.comp\.toml:3:\d+: publish channel "a/b"`},
		{"package listed twice", map[string]string{"comps/p.comp.toml": "[package-groups.p]\npackages = [\"x\", \"x\"]\n"}, nil, `comps/p\.comp\.toml:2:\d+: package group .p.: package .x. is listed twice`},
		{"package in two groups", map[string]string{"comps/p.comp.toml": "[package-groups.p]\npackages = [\"x\"]\n[package-groups.q]\npackages = [\"x\"]\n"}, nil, `comps/p\.comp\.toml:4:\d+: package .x. is listed in both`},
		{"image with unknown test suite", map[string]string{"comps/i.comp.toml": "[images.i]\ntests.test-suites = [{ name = \"t\" }]\n"}, nil, `comps/i\.comp\.toml:2:\d+: image .i. references undefined test suite .t.`},
		{"overlay-files literal no match", badComp(compHeader + "overlay-files = [\"missing.toml\"]\n"), []string{"component", "list", "-p", "a"}, `component .a.: overlay-files pattern matched no files: "missing\.toml"`},
		{"overlay file without metadata", map[string]string{"comps/a.comp.toml": compHeader + "overlay-files = [\"o.toml\"]\n", "comps/o.toml": "[[overlays]]\ntype = \"spec-add-tag\"\ntag = \"A\"\nvalue = \"b\"\n"}, []string{"component", "list", "-p", "a"}, `component .a.: overlay file comps/o\.toml: missing \[metadata\]`},
		{"overlay file syntax error", map[string]string{"comps/a.comp.toml": compHeader + "overlay-files = [\"o.toml\"]\n", "comps/o.toml": "[metadata\n"}, []string{"component", "list", "-p", "a"}, `component .a.: overlay file comps/o\.toml:1:\d+: `},
		{"overlay file per-overlay metadata", map[string]string{"comps/a.comp.toml": compHeader + "overlay-files = [\"o.toml\"]\n", "comps/o.toml": "[metadata]\ncategory = \"azl-pruning\"\nupstream-status = \"unknown\"\n[[overlays]]\ntype = \"spec-add-tag\"\ntag = \"A\"\nvalue = \"b\"\nmetadata = { category = \"azl-pruning\", upstream-status = \"unknown\" }\n"}, []string{"component", "list", "-p", "a"}, `component .a.: overlay file comps/o\.toml: overlay 1: per-overlay .metadata. is not allowed`},
		{"overlay file without overlays", map[string]string{"comps/a.comp.toml": compHeader + "overlay-files = [\"o.toml\"]\n", "comps/o.toml": "[metadata]\ncategory = \"azl-pruning\"\nupstream-status = \"unknown\"\n"}, []string{"component", "list", "-p", "a"}, `component .a.: overlay file comps/o\.toml: overlay file declares no overlays`},
		{"unknown component selected", nil, []string{"component", "list", "-p", "nope"}, `component not found: .nope.`},
		{"unknown component group selected", nil, []string{"component", "list", "-g", "nope"}, `component group not found: .nope.`},
		{"bad output format", nil, []string{"component", "list", "-a", "-O", "yaml"}, `invalid output format "yaml"`},
		{"component name escaping its directory", map[string]string{"comps/b.comp.toml": "[components.\"../evil\"]\n"}, nil, `comps/b\.comp\.toml:1:\d+: invalid component name "\.\./evil": use ASCII letters`},
		// Finding 9: the reference's name rule (letters, digits, . - _ +).
		{"component name with a space", map[string]string{"comps/b.comp.toml": "[components.\"a b\"]\n"}, nil, `comps/b\.comp\.toml:1:\d+: invalid component name "a b"`},
		{"component name with a control character", map[string]string{"comps/b.comp.toml": "[components.\"a\\u0007b\"]\n"}, nil, `comps/b\.comp\.toml:1:\d+: invalid component name "a\\ab"`},
		{"component name with a non-ASCII letter", map[string]string{"comps/b.comp.toml": "[components.\"café\"]\n"}, nil, `comps/b\.comp\.toml:1:\d+: invalid component name "café"`},
		{"component name with shell syntax", map[string]string{"comps/b.comp.toml": "[components.'x;rm -rf $HOME']\n"}, nil, `comps/b\.comp\.toml:1:\d+: invalid component name "x;rm -rf \$HOME"`},
		{"component name like an option", map[string]string{"comps/b.comp.toml": "[components.\"-rf\"]\n"}, nil, `comps/b\.comp\.toml:1:\d+: invalid component name "-rf"`},
		{"discovered spec with a space", map[string]string{"comps/g.comp.toml": "[component-groups.g]\nspecs = [\"s/*.spec\"]\n", "comps/s/a b.spec": "Name: x\n"}, nil, `spec .*/comps/s/a b\.spec found by component group .g.: invalid component name "a b"`},
		// Finding 6: an array element's problem is reported at its own header.
		{"missing field in the second overlay", badComp(compHeader + "[[components.a.overlays]]\ntype = \"spec-add-tag\"\ntag = \"A\"\nvalue = \"b\"\n[[components.a.overlays]]\ntype = \"spec-add-tag\"\ntag = \"C\"\n"), nil, `comps/a\.comp\.toml:7:\d+: invalid overlay 2 for component .a.: overlay type .spec-add-tag. requires .value. field`},
		{"bad metadata in the third overlay's sub-table", badComp(compHeader + "[[components.a.overlays]]\ntype = \"spec-add-tag\"\ntag = \"A\"\nvalue = \"b\"\n[[components.a.overlays]]\ntype = \"spec-add-tag\"\ntag = \"A\"\nvalue = \"b\"\n[[components.a.overlays]]\ntype = \"spec-add-tag\"\ntag = \"A\"\nvalue = \"b\"\n[components.a.overlays.metadata]\ncategory = \"whim\"\nupstream-status = \"unknown\"\n"), nil, `comps/a\.comp\.toml:16:1: invalid overlay 3 .*metadata category "whim"`},
		{"spec path naming no file", nil, []string{"component", "list", "-s", "/"}, `invalid spec path "/"`},
		{"empty package name", nil, []string{"package", "list", "-p", ""}, `package names must not be empty`},
		{"empty output directory", nil, []string{"component", "prepare-sources", "-p", "a", "-o", "", "--force"}, `the output directory must not be empty`},
		{"filesystem root as output directory", nil, []string{"component", "prepare-sources", "-p", "a", "-o", "/", "--force"}, `the output directory must not be the filesystem root`},
		{"missing --config-file", nil, []string{"--config-file", "/nonexistent/extra.toml", "component", "list", "-a"}, `reading config file: .*/nonexistent/extra\.toml`},
	}
	if len(cases) < 25 {
		t.Fatalf("only %d cases", len(cases))
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeProject(t, tc.files)
			args := tc.args
			if args == nil {
				args = []string{"component", "list", "-a"}
			}
			_, stderr, code := run(t, append([]string{"-C", dir, "--color", "never"}, args...)...)
			if code == 0 {
				t.Fatalf("exit 0; stderr:\n%s", stderr)
			}
			first, _, _ := strings.Cut(stderr, "\n")
			if !regexp.MustCompile(`ERR Error: ` + tc.want).MatchString(first) {
				t.Fatalf("first error line\n  %q\ndoes not match\n  %q\nfull stderr:\n%s", first, tc.want, stderr)
			}
		})
	}
}

// TestValidEdgeCases checks configurations that must load.
func TestValidEdgeCases(t *testing.T) {
	for name, files := range map[string]map[string]string{
		"glob include matching nothing": {"azldev.toml": baseProject["azldev.toml"] + "\n"},
		"RE2 flags":                     badComp(compHeader + "[[components.a.overlays]]\ntype = \"spec-search-replace\"\nregex = '(?i)^name:\\s*'\nreplacement = \"Name: \"\n"),
		"skip reason without skip":      badComp(compHeader + "[components.a.build.check]\nskip_reason = \"not skipped\"\n"),
	} {
		t.Run(name, func(t *testing.T) {
			dir := writeProject(t, files)
			if _, stderr, code := run(t, "-C", dir, "component", "list", "-a"); code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
		})
	}
}

// TestPermissiveOverlayFileMetadataWarns checks that invalid overlay-file
// metadata is reported as a warning under --permissive-config.
func TestPermissiveOverlayFileMetadataWarns(t *testing.T) {
	dir := writeProject(t, map[string]string{
		"comps/a.comp.toml": compHeader + "overlay-files = [\"o.toml\"]\n",
		"comps/o.toml":      "[metadata]\ncategory = \"whim\"\nupstream-status = \"unknown\"\n[[overlays]]\ntype = \"spec-add-tag\"\ntag = \"A\"\nvalue = \"b\"\n",
	})
	_, stderr, code := run(t, "-C", dir, "--permissive-config", "component", "list", "-p", "a")
	if code != 0 || !strings.Contains(stderr, `WRN metadata category "whim"`) {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr)
	}
}
