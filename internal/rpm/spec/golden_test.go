package spec

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/azlforge/azldev/internal/testutil"

	"github.com/bmatcuk/doublestar/v4"
	"github.com/pelletier/go-toml/v2"
)

// The synthetic overlay texts of BEHAVIOR.md section 4.2.
var (
	fileHeader = []string{
		"# This spec file has been modified by azldev to include build configuration overlays.",
		"# Do not edit manually; changes may be overwritten.",
		"",
	}
	macrosComment = "# All Azure Linux specs with overlays include this macro file, " +
		"irrespective of whether new macros have been added."
)

// goldenOverlay is the subset of an overlay the spec replay needs.
type goldenOverlay struct {
	Type        string   `toml:"type"`
	File        string   `toml:"file"`
	Archive     string   `toml:"archive"`
	Section     string   `toml:"section"`
	Package     string   `toml:"package"`
	Tag         string   `toml:"tag"`
	Value       string   `toml:"value"`
	Regex       string   `toml:"regex"`
	Replacement string   `toml:"replacement"`
	Lines       []string `toml:"lines"`
	Source      string   `toml:"source"`
}

// goldenComponent is the subset of a component config layer the replay needs.
type goldenComponent struct {
	Spec struct {
		Path string `toml:"path"`
	} `toml:"spec"`
	Release struct {
		Calculation string `toml:"calculation"`
	} `toml:"release"`
	Overlays     []goldenOverlay `toml:"overlays"`
	OverlayFiles *[]string       `toml:"overlay-files"`
	Build        struct {
		With      []string          `toml:"with"`
		Without   []string          `toml:"without"`
		Defines   map[string]string `toml:"defines"`
		Undefines []string          `toml:"undefines"`
		Check     struct {
			Skip       bool   `toml:"skip"`
			SkipReason string `toml:"skip_reason"`
		} `toml:"check"`
	} `toml:"build"`

	dir string // directory of the declaring file
}

// merge layers later over c with the reference's inheritance rules.
func (c *goldenComponent) merge(later goldenComponent) {
	if later.Spec.Path != "" {
		c.Spec.Path = filepath.Join(later.dir, later.Spec.Path)
	}

	if later.Release.Calculation != "" {
		c.Release.Calculation = later.Release.Calculation
	}

	c.Overlays = append(c.Overlays, later.Overlays...)
	if later.OverlayFiles != nil {
		c.OverlayFiles = later.OverlayFiles
	}

	c.Build.With = append(c.Build.With, later.Build.With...)
	c.Build.Without = append(c.Build.Without, later.Build.Without...)
	c.Build.Undefines = append(c.Build.Undefines, later.Build.Undefines...)

	for k, v := range later.Build.Defines {
		if c.Build.Defines == nil {
			c.Build.Defines = map[string]string{}
		}

		c.Build.Defines[k] = v
	}

	c.Build.Check.Skip = c.Build.Check.Skip || later.Build.Check.Skip
	if later.Build.Check.SkipReason != "" {
		c.Build.Check.SkipReason = later.Build.Check.SkipReason
	}
}

// hasMacros reports whether the build config yields a non-empty macros file
// (BEHAVIOR.md 4.1; local components never get provenance macros).
func (c *goldenComponent) hasMacros() bool {
	macros := map[string]bool{}
	for _, w := range c.Build.With {
		macros["_with_"+w] = true
	}

	for _, w := range c.Build.Without {
		macros["_without_"+w] = true
	}

	for k := range c.Build.Defines {
		macros[k] = true
	}

	for _, u := range c.Build.Undefines {
		delete(macros, u)
	}

	return len(macros) > 0
}

// goldenGroup is a component group.
type goldenGroup struct {
	Specs         []string        `toml:"specs"`
	ExcludedPaths []string        `toml:"excluded-paths"`
	Components    []string        `toml:"components"`
	Defaults      goldenComponent `toml:"default-component-config"`
}

// goldenConfigFile is the subset of a config file the replay needs.
type goldenConfigFile struct {
	Includes []string `toml:"includes"`
	Project  struct {
		DefaultDistro struct {
			Name    string `toml:"name"`
			Version string `toml:"version"`
		} `toml:"default-distro"`
	} `toml:"project"`
	Distros map[string]struct {
		DefaultVersion string `toml:"default-version"`
		Versions       map[string]struct {
			Defaults goldenComponent `toml:"default-component-config"`
		} `toml:"versions"`
	} `toml:"distros"`
	Defaults   goldenComponent             `toml:"default-component-config"`
	Groups     map[string]*goldenGroup     `toml:"component-groups"`
	Components map[string]*goldenComponent `toml:"components"`
}

// goldenProject is a loaded project: every config file, root first.
type goldenProject struct {
	root  string
	files []goldenConfigFile
}

// loadGoldenProject reads azldev.toml in root and its includes, depth first.
func loadGoldenProject(t *testing.T, root string) *goldenProject {
	t.Helper()

	p := &goldenProject{root: root}
	p.load(t, filepath.Join(root, "azldev.toml"))

	return p
}

// load decodes one config file, records the directory of its declarations
// and loads its includes.
func (p *goldenProject) load(t *testing.T, file string) {
	t.Helper()

	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}

	var cfg goldenConfigFile
	if err := toml.Unmarshal(data, &cfg); err != nil {
		t.Fatalf("%s: %v", file, err)
	}

	dir := filepath.Dir(file)
	for _, c := range cfg.Components {
		c.dir = dir
	}

	for _, g := range cfg.Groups {
		g.Defaults.dir = dir
		for i, pattern := range g.Specs {
			g.Specs[i] = filepath.Join(dir, pattern)
		}

		for i, pattern := range g.ExcludedPaths {
			g.ExcludedPaths[i] = filepath.Join(dir, pattern)
		}
	}

	p.files = append(p.files, cfg)

	for _, pattern := range cfg.Includes {
		matches, err := doublestar.FilepathGlob(filepath.Join(dir, pattern), doublestar.WithFilesOnly())
		if err != nil {
			t.Fatal(err)
		}

		for _, m := range matches {
			p.load(t, m)
		}
	}
}

// resolve computes the effective config of component name (BEHAVIOR.md 1.7).
func (p *goldenProject) resolve(t *testing.T, name string) goldenComponent {
	t.Helper()

	var (
		eff      goldenComponent
		own      *goldenComponent
		discover string
		groups   []string
		byName   = map[string]*goldenGroup{}
	)

	root := p.files[0]
	distro := root.Project.DefaultDistro

	for _, f := range p.files {
		if d, ok := f.Distros[distro.Name]; ok {
			version := distro.Version
			if version == "" {
				version = d.DefaultVersion
			}

			eff.merge(d.Versions[version].Defaults)
		}
	}

	for _, f := range p.files {
		eff.merge(f.Defaults)

		if c, ok := f.Components[name]; ok {
			own = c
		}

		for gname, g := range f.Groups {
			byName[gname] = g

			if spec := g.discover(t, name); spec != "" || slices.Contains(g.Components, name) {
				groups = append(groups, gname)
				discover = cmp.Or(discover, spec)
			}
		}
	}

	slices.Sort(groups)

	for _, gname := range groups {
		eff.merge(byName[gname].Defaults)
	}

	eff.Spec.Path = discover
	eff.dir = filepath.Dir(discover)

	if own != nil {
		eff.merge(*own)
		eff.dir = own.dir
	}

	eff.Overlays = append(eff.Overlays, p.overlayFiles(t, eff)...)

	return eff
}

// discover returns the spec of component name found by the group's patterns.
func (g *goldenGroup) discover(t *testing.T, name string) string {
	t.Helper()

	for _, pattern := range g.Specs {
		matches, err := doublestar.FilepathGlob(pattern, doublestar.WithFilesOnly())
		if err != nil {
			t.Fatal(err)
		}

		for _, m := range matches {
			if strings.TrimSuffix(filepath.Base(m), filepath.Ext(m)) == name && !g.excluded(m) {
				return m
			}
		}
	}

	return ""
}

// excluded reports whether path matches an excluded-paths pattern.
func (g *goldenGroup) excluded(path string) bool {
	for _, pattern := range g.ExcludedPaths {
		if ok, _ := doublestar.PathMatch(pattern, path); ok {
			return true
		}
	}

	return false
}

// overlayFiles loads the overlays of the component's overlay-files patterns.
func (p *goldenProject) overlayFiles(t *testing.T, c goldenComponent) []goldenOverlay {
	t.Helper()

	if c.OverlayFiles == nil {
		return nil
	}

	var (
		out  []goldenOverlay
		seen = map[string]bool{}
	)

	for _, pattern := range *c.OverlayFiles {
		matches, err := doublestar.FilepathGlob(filepath.Join(c.dir, pattern), doublestar.WithFilesOnly())
		if err != nil {
			t.Fatal(err)
		}

		slices.SortFunc(matches, func(a, b string) int {
			return cmp.Or(strings.Compare(filepath.Base(a), filepath.Base(b)), strings.Compare(a, b))
		})

		for _, m := range matches {
			if seen[m] {
				continue
			}

			seen[m] = true

			var doc struct {
				Overlays []goldenOverlay `toml:"overlays"`
			}

			data, err := os.ReadFile(m)
			if err != nil {
				t.Fatal(err)
			}

			if err := toml.Unmarshal(data, &doc); err != nil {
				t.Fatalf("%s: %v", m, err)
			}

			out = append(out, doc.Overlays...)
		}
	}

	return out
}

// applyGoldenOverlay applies the spec part of one overlay; file overlays
// never touch the spec and are skipped.
func applyGoldenOverlay(s *Spec, o goldenOverlay) error {
	switch o.Type {
	case "spec-add-tag":
		return s.AddTag(o.Package, o.Tag, o.Value)
	case "spec-insert-tag":
		return s.InsertTag(o.Package, o.Tag, o.Value)
	case "spec-set-tag":
		return s.SetTag(o.Package, o.Tag, o.Value)
	case "spec-update-tag":
		return s.UpdateTag(o.Package, o.Tag, o.Value)
	case "spec-remove-tag":
		return s.RemoveTag(o.Package, o.Tag, o.Value)
	case "spec-prepend-lines":
		return s.PrependLines(o.Section, o.Package, o.Lines)
	case "spec-append-lines":
		return s.AppendLines(o.Section, o.Package, o.Lines)
	case "spec-search-replace":
		return s.SearchReplace(o.Section, o.Package, o.Regex, o.Replacement)
	case "spec-remove-section":
		return s.RemoveSection(o.Section, o.Package)
	case "spec-remove-subpackage":
		return s.RemoveSubpackage(o.Package)
	case "patch-add":
		return s.PatchAddSpec(o.Package, cmp.Or(o.File, path.Base(o.Source)))
	case "patch-remove":
		return s.PatchRemoveSpec(o.File)
	}

	return nil
}

// goldenCase is one recorded prepare-sources run.
type goldenCase struct {
	dir       string
	component string
	stages    []string // "copy" step directories, in order
	commits   int      // project commits (each records a changed lock)
	skipOver  bool     // --skip-overlays
	noGit     bool     // --without-git
}

// readGoldenCase interprets the case's cmd file.
func readGoldenCase(t *testing.T, dir string) goldenCase {
	t.Helper()

	data, err := os.ReadFile(filepath.Join(dir, "cmd"))
	if err != nil {
		t.Fatal(err)
	}

	var steps []json.RawMessage
	if err := json.Unmarshal(data, &steps); err != nil {
		t.Fatal(err)
	}

	if len(steps) > 0 && steps[0][0] == '"' {
		steps = []json.RawMessage{data} // a single argument list
	}

	gc := goldenCase{dir: dir}

	for _, raw := range steps {
		var args []string
		if json.Unmarshal(raw, &args) == nil {
			gc.readArgs(args)

			continue
		}

		var step struct {
			Copy   string          `json:"copy"`
			Commit json.RawMessage `json:"commit"`
		}
		if err := json.Unmarshal(raw, &step); err != nil {
			t.Fatal(err)
		}

		if step.Copy != "" {
			gc.stages = append(gc.stages, filepath.Join(dir, step.Copy))
		}

		if step.Commit != nil {
			gc.commits++
		}
	}

	return gc
}

// readArgs picks the component and flags of a prepare-sources command.
func (gc *goldenCase) readArgs(args []string) {
	if len(args) < 2 || (args[1] != "prepare-sources" && args[1] != "prep-sources") {
		return
	}

	for i := 2; i < len(args); i++ {
		switch arg := args[i]; {
		case arg == "-p" || arg == "-o":
			if arg == "-p" {
				gc.component = args[i+1]
			}

			i++
		case arg == "--skip-overlays":
			gc.skipOver = true
		case arg == "--without-git":
			gc.noGit = true
		case !strings.HasPrefix(arg, "-"):
			gc.component = arg
		}
	}
}

// materialize copies the project and the staged files into a temp dir.
func (gc goldenCase) materialize(t *testing.T) string {
	t.Helper()

	root := t.TempDir()
	for _, src := range append([]string{filepath.Join(gc.dir, "project")}, gc.stages...) {
		copyOver(t, src, root)
	}

	return root
}

// copyOver copies every file of src over dst, replacing existing files.
func copyOver(t *testing.T, src, dst string) {
	t.Helper()

	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}

		rel, _ := filepath.Rel(src, p)

		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}

		if err := os.MkdirAll(filepath.Dir(filepath.Join(dst, rel)), 0o755); err != nil {
			return err
		}

		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// localCases lists the local-* cases recorded with the given status.
func localCases(t *testing.T, status string) []string {
	t.Helper()

	f, err := os.Open(filepath.Join(casesDir(t), "index.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()

	var names []string

	scanner := bufio.NewScanner(f)
	for scanner.Scan() {
		fields := strings.Split(scanner.Text(), "\t")
		if len(fields) >= 3 && strings.HasPrefix(fields[0], "local-") && fields[2] == status {
			names = append(names, fields[0])
		}
	}

	return names
}

// replayGolden renders a case's spec with this package and returns it with
// the recorded expectation and the first editing error.
func replayGolden(t *testing.T, gc goldenCase) (got, want []byte, err error) {
	t.Helper()

	root := gc.materialize(t)
	cfg := loadGoldenProject(t, root).resolve(t, gc.component)

	original, err := os.ReadFile(cfg.Spec.Path)
	if err != nil {
		t.Fatalf("spec of %s: %v", gc.component, err)
	}

	want, _ = os.ReadFile(filepath.Join(gc.dir, "expected", "files", gc.component+".spec"))

	s := Parse(original)
	if gc.skipOver {
		return s.Bytes(), want, nil
	}

	s.Normalize()
	err = replayEdits(gc, cfg, s)

	return s.Bytes(), want, err
}

// replayEdits applies the synthetic and configured overlays and the release
// bump in the reference's order (BEHAVIOR.md 3.1, 4.2, 4.3).
func replayEdits(gc goldenCase, cfg goldenComponent, s *Spec) error {
	var edits []func() error

	if cfg.hasMacros() {
		edits = append(edits,
			func() error {
				return s.PrependLines("", "", []string{macrosComment, "%{load:%{_sourcedir}/" + gc.component + ".azl.macros}", ""})
			},
			func() error { return s.InsertTag("", "Source9999", gc.component+".azl.macros") })
	}

	for _, o := range cfg.Overlays {
		if o.Archive == "" {
			edits = append(edits, func() error { return applyGoldenOverlay(s, o) })
		}
	}

	if cfg.Build.Check.Skip {
		edits = append(edits, func() error {
			return s.PrependLines("%check", "", []string{"# Check section disabled: " + cfg.Build.Check.SkipReason, "exit 0", ""})
		})
	}

	edits = append(edits,
		func() error { return s.PrependLines("", "", fileHeader) },
		func() error { return bumpGoldenRelease(gc, cfg, s) })

	for _, edit := range edits {
		if err := edit(); err != nil {
			return err
		}
	}

	return nil
}

// bumpGoldenRelease applies the release bump of a case with synthetic history:
// for a local component every project commit of a changed lock file is one
// synthetic commit (BEHAVIOR.md 5.6).
func bumpGoldenRelease(gc goldenCase, cfg goldenComponent, s *Spec) error {
	if gc.commits == 0 || gc.noGit || cfg.Release.Calculation == "manual" || cfg.Release.Calculation == "autorelease" {
		return nil
	}

	_, err := s.BumpRelease(gc.commits, cfg.Release.Calculation == "static")

	return err
}

// TestGoldenReplay replays the overlays of every successful local conformance
// case and compares the spec with the reference output byte for byte.
func TestGoldenReplay(t *testing.T) {
	for _, name := range localCases(t, "ok") {
		t.Run(name, func(t *testing.T) {
			gc := readGoldenCase(t, filepath.Join(casesDir(t), name))

			got, want, err := replayGolden(t, gc)
			if err != nil {
				t.Fatalf("edit failed: %v", err)
			}

			if !bytes.Equal(got, want) {
				t.Errorf("spec differs from the reference output:\n%s", firstDiff(got, want))
			}
		})
	}
}

// goldenSpecFailures maps the failing local cases whose failure comes from
// the spec edits to the error expected; the other failing cases fail outside
// the spec (file overlays, output directory, sources), so their spec edits
// must succeed.
var goldenSpecFailures = map[string]error{
	"local-0033-golang-github-pkg-errors":     ErrConditionalSpansSections,
	"local-0035-python-paramiko":              ErrPatternNotFound,
	"local-0038-libcanberra":                  ErrSectionNotFound,
	"local-0039-kdump-utils":                  ErrNoPatchMatched,
	"local-0042-python-pip":                   ErrNoPatchMatched,
	"local-0063-rust-nix0.23":                 ErrSectionNotFound,
	"local-0070-rust-tiff":                    ErrSectionNotFound,
	"local-0088-rust-sequoia-wot":             ErrSectionNotFound,
	"local-0091-kwrited":                      ErrSectionNotFound,
	"local-0096-gstreamer1-plugins-bad-free":  ErrSectionNotFound,
	"local-0097-rust-glycin-utils":            ErrNoPatchMatched,
	"local-0121-python-quart":                 ErrPatternNotFound,
	"local-0136-ypbind":                       ErrSectionNotFound,
	"local-0143-efi-rpm-macros":               ErrSectionNotFound,
	"local-0150-python-sphinx-issues":         ErrSectionNotFound,
	"local-0153-perl-Software-License-CCpack": ErrSectionNotFound,
	"local-0157-web-assets":                   ErrSectionNotFound,
	"local-0162-rshim":                        ErrNoSuchTag,
	"local-0194-mythes-eo":                    ErrSectionNotFound,
	"local-0201-perl-Unicode-Map8":            ErrSectionNotFound,
	"local-0205-rust-num_enum_derive":         ErrSectionNotFound,
	"local-0251-gnustep-base":                 ErrSectionNotFound,
	"local-0258-python-pydata-sphinx-theme":   ErrNoSuchTag,
	"local-0279-real-shim":                    ErrPatternNotFound,
	"local-0298-hist-automoc":                 ErrNonStandardRelease,
	"local-0318-hist-python-d2to1":            ErrNonStandardRelease,
}

// TestGoldenFailures replays the failing local conformance cases: those that
// fail in the spec edits must fail with the expected error, the others not.
func TestGoldenFailures(t *testing.T) {
	for _, name := range localCases(t, "error") {
		t.Run(name, func(t *testing.T) {
			_, _, err := replayGolden(t, readGoldenCase(t, filepath.Join(casesDir(t), name)))
			if want := goldenSpecFailures[name]; !errors.Is(err, want) {
				t.Errorf("replay error = %v, want %v", err, want)
			}
		})
	}
}

// firstDiff describes the first differing line of got and want.
func firstDiff(got, want []byte) string {
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := range max(len(g), len(w)) {
		gl, wl := lineAt(g, i), lineAt(w, i)
		if gl != wl {
			return fmt.Sprintf("line %d:\n got: %q\nwant: %q", i+1, gl, wl)
		}
	}

	return "(identical lines, different bytes)"
}

// lineAt returns lines[i] or a marker past the end.
func lineAt(lines []string, i int) string {
	if i < len(lines) {
		return lines[i]
	}

	return "<EOF>"
}

// casesDir holds the recorded reference outputs of the conformance suite.
func casesDir(tb testing.TB) string { return testutil.SharedDir(tb, "conformance/cases") }
