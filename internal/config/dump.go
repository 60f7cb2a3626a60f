package config

import (
	"fmt"
	"reflect"
	"sync"
)

// The shape of `config dump`: what the reference prints, which scripts
// consume. It encodes the reference's merged project configuration, whose
// serialized field names, order and empty-value rules differ from this
// package's model (File) in a few places:
//
//   - the top-level order is project, component-groups, components, images,
//     distros, resources, tools, default-component-config,
//     default-package-config, package-groups, test-suites; $schema and
//     includes are never printed;
//   - in JSON, every component, image and test suite carries a "name" (its
//     key), and every component configuration a "name" key even when it has
//     no name (default-component-config of the project, a group or a distro
//     version prints "name": "");
//   - JSON spells mock-config-x86_64 "mockConfigX8664"; releaseVer and an
//     image definition's path are left out when empty, a LISA suite's
//     testCases is printed even when empty (null);
//   - in TOML, a few fields the reference treats as required are printed
//     even when empty (type = '' and the like) whenever their table is:
//     spec.type, an overlay's type, a distro reference's name, release-ver,
//     an origin's type, a source file's filename, overlay metadata category
//     and upstream-status, URL references, repository base-uri, repo set
//     template and base-uri, a template's subrepos with their name and
//     subpath, a test suite's type, test suite references, and LISA
//     framework (git-url, ref) and test-cases.
//
// The golden dumps of the real tree show most of these; the rest (test
// suites, repository sets, empty required fields) follow the required lists
// of the reference's JSON Schema (azl4-golden/reference-schema.json): a
// required field is one serialized without omitempty.
//
// The dump types below mirror the model's field by field (same Go field
// names, so that dumpCopy can fill them) with those tags; model types whose
// encoding already matches are used as they are.

// Dump is the merged configuration in the shape `config dump` prints:
// encode it with encoding/json or go-toml.
type Dump struct {
	Project                dumpProject                    `toml:"project,omitempty" json:"project"`
	ComponentGroups        map[string]*dumpComponentGroup `toml:"component-groups,omitempty" json:"componentGroups,omitempty"`
	Components             map[string]*dumpComponent      `toml:"components,omitempty" json:"components,omitempty"`
	Images                 map[string]*dumpImage          `toml:"images,omitempty" json:"images,omitempty"`
	Distros                map[string]*dumpDistro         `toml:"distros,omitempty" json:"distros,omitempty"`
	Resources              dumpResources                  `toml:"resources,omitempty" json:"resources"`
	Tools                  ToolsConfig                    `toml:"tools,omitempty" json:"tools"`
	DefaultComponentConfig dumpComponent                  `toml:"default-component-config,omitempty" json:"defaultComponentConfig"`
	DefaultPackageConfig   PackageConfig                  `toml:"default-package-config,omitempty" json:"defaultPackageConfig"`
	PackageGroups          map[string]*PackageGroup       `toml:"package-groups,omitempty" json:"packageGroups,omitempty"`
	TestSuites             map[string]*dumpTestSuite      `toml:"test-suites,omitempty" json:"testSuites,omitempty"`
}

type dumpProject struct {
	Description        string        `toml:"description,omitempty" json:"description,omitempty"`
	LogDir             string        `toml:"log-dir,omitempty" json:"logDir,omitempty"`
	WorkDir            string        `toml:"work-dir,omitempty" json:"workDir,omitempty"`
	OutputDir          string        `toml:"output-dir,omitempty" json:"outputDir,omitempty"`
	RenderedSpecsDir   string        `toml:"rendered-specs-dir,omitempty" json:"renderedSpecsDir,omitempty"`
	LockDir            string        `toml:"lock-dir,omitempty" json:"lockDir,omitempty"`
	DefaultDistro      dumpDistroRef `toml:"default-distro,omitempty" json:"defaultDistro"`
	DefaultAuthorEmail string        `toml:"default-author-email,omitempty" json:"defaultAuthorEmail,omitempty"`
}

type dumpDistroRef struct {
	Name     string `toml:"name" json:"name,omitempty"`
	Version  string `toml:"version,omitempty" json:"version,omitempty"`
	Snapshot string `toml:"snapshot,omitempty" json:"snapshot,omitempty"`
}

type dumpComponentGroup struct {
	Description            string           `toml:"description,omitempty" json:"description,omitempty"`
	Metadata               *dumpOverlayMeta `toml:"metadata,omitempty" json:"metadata,omitempty"`
	Components             []string         `toml:"components,omitempty" json:"components,omitempty"`
	Specs                  []string         `toml:"specs,omitempty" json:"specs,omitempty"`
	ExcludedPaths          []string         `toml:"excluded-paths,omitempty" json:"excludedPaths,omitempty"`
	DefaultComponentConfig dumpComponent    `toml:"default-component-config,omitempty" json:"defaultComponentConfig"`
}

type dumpComponent struct {
	Name         string                    `toml:"-" json:"name"`
	Spec         dumpSpec                  `toml:"spec,omitempty" json:"spec"`
	Release      ReleaseConfig             `toml:"release,omitempty" json:"release"`
	Overlays     []dumpOverlay             `toml:"overlays,omitempty" json:"overlays,omitempty"`
	OverlayFiles []string                  `toml:"overlay-files,omitempty" json:"overlayFiles,omitempty"`
	Build        ComponentBuildConfig      `toml:"build,omitempty" json:"build"`
	Render       ComponentRenderConfig     `toml:"render,omitempty" json:"render"`
	SourceFiles  []dumpSourceFile          `toml:"source-files,omitempty" json:"sourceFiles,omitempty"`
	Packages     map[string]*PackageConfig `toml:"packages,omitempty" json:"packages,omitempty"`
	Publish      ComponentPublishConfig    `toml:"publish,omitempty" json:"publish"`
}

type dumpSpec struct {
	Type           string        `toml:"type" json:"type,omitempty"`
	Path           string        `toml:"path,omitempty" json:"path,omitempty"`
	UpstreamDistro dumpDistroRef `toml:"upstream-distro,omitempty" json:"upstreamDistro"`
	UpstreamName   string        `toml:"upstream-name,omitempty" json:"upstreamName,omitempty"`
	UpstreamCommit string        `toml:"upstream-commit,omitempty" json:"upstreamCommit,omitempty"`
}

type dumpOverlay struct {
	Type        string           `toml:"type" json:"type"`
	Description string           `toml:"description,omitempty" json:"description,omitempty"`
	File        string           `toml:"file,omitempty" json:"file,omitempty"`
	Archive     string           `toml:"archive,omitempty" json:"archive,omitempty"`
	Section     string           `toml:"section,omitempty" json:"section,omitempty"`
	Package     string           `toml:"package,omitempty" json:"package,omitempty"`
	Tag         string           `toml:"tag,omitempty" json:"tag,omitempty"`
	Value       string           `toml:"value,omitempty" json:"value,omitempty"`
	Regex       string           `toml:"regex,omitempty" json:"regex,omitempty"`
	Replacement string           `toml:"replacement,omitempty" json:"replacement,omitempty"`
	Lines       []string         `toml:"lines,omitempty" json:"lines,omitempty"`
	Source      string           `toml:"source,omitempty" json:"source,omitempty"`
	Metadata    *dumpOverlayMeta `toml:"metadata,omitempty" json:"metadata,omitempty"`
}

type dumpOverlayMeta struct {
	Category       string       `toml:"category" json:"category"`
	Commits        []dumpURLRef `toml:"commits,omitempty" json:"commits,omitempty"`
	Bugs           []dumpURLRef `toml:"bugs,omitempty" json:"bugs,omitempty"`
	UpstreamStatus string       `toml:"upstream-status" json:"upstreamStatus"`
}

type dumpURLRef struct {
	URL string `toml:"url" json:"url"`
}

type dumpSourceFile struct {
	Filename        string     `toml:"filename" json:"filename"`
	Hash            string     `toml:"hash,omitempty" json:"hash,omitempty"`
	HashType        string     `toml:"hash-type,omitempty" json:"hashType,omitempty"`
	Origin          dumpOrigin `toml:"origin,omitempty" json:"origin"`
	ReplaceUpstream bool       `toml:"replace-upstream,omitempty" json:"replaceUpstream,omitempty"`
	ReplaceReason   string     `toml:"replace-reason,omitempty" json:"replaceReason,omitempty"`
}

type dumpOrigin struct {
	Type         string   `toml:"type" json:"type"`
	URI          string   `toml:"uri,omitempty" json:"uri,omitempty"`
	Script       string   `toml:"script,omitempty" json:"script,omitempty"`
	MockPackages []string `toml:"mock-packages,omitempty" json:"mockPackages,omitempty"`
	Inputs       []string `toml:"inputs,omitempty" json:"inputs,omitempty"`
}

type dumpImage struct {
	Name         string             `toml:"-" json:"name"`
	Description  string             `toml:"description,omitempty" json:"description,omitempty"`
	Definition   dumpImageDef       `toml:"definition,omitempty" json:"definition"`
	Capabilities ImageCapabilities  `toml:"capabilities,omitempty" json:"capabilities"`
	Tests        dumpImageTests     `toml:"tests,omitempty" json:"tests"`
	Publish      ImagePublishConfig `toml:"publish,omitempty" json:"publish"`
}

type dumpImageDef struct {
	Type    string `toml:"type,omitempty" json:"type,omitempty"`
	Path    string `toml:"path,omitempty" json:"path,omitempty"`
	Profile string `toml:"profile,omitempty" json:"profile,omitempty"`
}

type dumpImageTests struct {
	TestSuites []dumpTestSuiteRef `toml:"test-suites,omitempty" json:"testSuites,omitempty"`
}

type dumpTestSuiteRef struct {
	Name string `toml:"name" json:"name"`
}

type dumpDistro struct {
	Description      string                        `toml:"description,omitempty" json:"description,omitempty"`
	DefaultVersion   string                        `toml:"default-version,omitempty" json:"defaultVersion,omitempty"`
	DistGitBaseURI   string                        `toml:"dist-git-base-uri,omitempty" json:"distGitBaseUri,omitempty"`
	LookasideBaseURI string                        `toml:"lookaside-base-uri,omitempty" json:"lookasideBaseUri,omitempty"`
	Repos            []dumpPackageRepo             `toml:"repos,omitempty" json:"repos,omitempty"`
	DisableOrigins   bool                          `toml:"disable-origins,omitempty" json:"disableOrigins,omitempty"`
	Versions         map[string]*dumpDistroVersion `toml:"versions,omitempty" json:"versions,omitempty"`
}

type dumpPackageRepo struct {
	BaseURI string `toml:"base-uri" json:"baseUri"`
}

type dumpDistroVersion struct {
	Description            string              `toml:"description,omitempty" json:"description,omitempty"`
	ReleaseVer             string              `toml:"release-ver" json:"releaseVer,omitempty"`
	DistGitBranch          string              `toml:"dist-git-branch,omitempty" json:"distGitBranch,omitempty"`
	DefaultComponentConfig dumpComponent       `toml:"default-component-config,omitempty" json:"defaultComponentConfig"`
	MockConfig             string              `toml:"mock-config,omitempty" json:"mockConfig,omitempty"`
	MockConfigX8664        string              `toml:"mock-config-x86_64,omitempty" json:"mockConfigX8664,omitempty"`
	MockConfigAarch64      string              `toml:"mock-config-aarch64,omitempty" json:"mockConfigAarch64,omitempty"`
	Inputs                 DistroVersionInputs `toml:"inputs,omitempty" json:"inputs"`
}

type dumpResources struct {
	RPMRepos            map[string]*RPMRepoResource     `toml:"rpm-repos,omitempty" json:"rpmRepos,omitempty"`
	RPMRepoSetTemplates map[string]*dumpRepoSetTemplate `toml:"rpm-repo-set-templates,omitempty" json:"rpmRepoSetTemplates,omitempty"`
	RPMRepoSets         map[string]*dumpRepoSet         `toml:"rpm-repo-sets,omitempty" json:"rpmRepoSets,omitempty"`
}

type dumpRepoSetTemplate struct {
	Description string        `toml:"description,omitempty" json:"description,omitempty"`
	Subrepos    []dumpSubrepo `toml:"subrepos" json:"subrepos"`
}

type dumpSubrepo struct {
	Name    string `toml:"name" json:"name"`
	Subpath string `toml:"subpath" json:"subpath"`
	Kind    string `toml:"kind,omitempty" json:"kind,omitempty"`
}

type dumpRepoSet struct {
	Description     string   `toml:"description,omitempty" json:"description,omitempty"`
	Template        string   `toml:"template" json:"template"`
	BaseURI         string   `toml:"base-uri" json:"baseUri"`
	NamePrefix      string   `toml:"name-prefix,omitempty" json:"namePrefix,omitempty"`
	GPGKey          string   `toml:"gpg-key,omitempty" json:"gpgKey,omitempty"`
	DisableGPGCheck bool     `toml:"disable-gpg-check,omitempty" json:"disableGpgCheck,omitempty"`
	Arches          []string `toml:"arches,omitempty" json:"arches,omitempty"`
	Subrepos        []string `toml:"subrepos,omitempty" json:"subrepos,omitempty"`
}

type dumpTestSuite struct {
	Name        string        `toml:"-" json:"name"`
	Description string        `toml:"description,omitempty" json:"description,omitempty"`
	Type        string        `toml:"type" json:"type"`
	Pytest      *PytestConfig `toml:"pytest,omitempty" json:"pytest,omitempty"`
	Lisa        *dumpLisa     `toml:"lisa,omitempty" json:"lisa,omitempty"`
}

type dumpLisa struct {
	Framework     dumpGitSource `toml:"framework" json:"framework"`
	TestCases     []string      `toml:"test-cases" json:"testCases"`
	PipPreInstall []string      `toml:"pip-pre-install,omitempty" json:"pipPreInstall,omitempty"`
	PipExtras     []string      `toml:"pip-extras,omitempty" json:"pipExtras,omitempty"`
	ExtraArgs     []string      `toml:"extra-args,omitempty" json:"extraArgs,omitempty"`
}

type dumpGitSource struct {
	GitURL string `toml:"git-url" json:"gitUrl"`
	Ref    string `toml:"ref" json:"ref"`
}

// Dump returns c in the shape `config dump` prints (loading its components
// first when they are held back). The result shares c's slices and maps: it
// is for encoding, not for changing.
func (c *Config) Dump() (*Dump, error) {
	if err := c.LoadComponents(); err != nil {
		return nil, err
	}
	d := &Dump{}
	f := &c.File
	for _, p := range []struct{ dst, src any }{
		{&d.Project, &f.Project},
		{&d.ComponentGroups, &f.ComponentGroups},
		{&d.Components, &f.Components},
		{&d.Images, &f.Images},
		{&d.Distros, &f.Distros},
		{&d.Resources, &f.Resources},
		{&d.Tools, &f.Tools},
		{&d.DefaultComponentConfig, &f.DefaultComponentConfig},
		{&d.DefaultPackageConfig, &f.DefaultPackageConfig},
		{&d.PackageGroups, &f.PackageGroups},
		{&d.TestSuites, &f.TestSuites},
	} {
		if err := dumpCopy(reflect.ValueOf(p.dst).Elem(), reflect.ValueOf(p.src).Elem()); err != nil {
			return nil, err
		}
	}
	for name, cc := range d.Components {
		cc.Name = name
	}
	for name, img := range d.Images {
		img.Name = name
	}
	for name, ts := range d.TestSuites {
		ts.Name = name
	}
	return d, nil
}

// dumpFieldMaps caches, per pair of struct types, where each source field
// goes in the destination.
var dumpFieldMaps sync.Map // [2]reflect.Type → []int or error

// dumpFields maps the exported fields of src's type to fields of the same
// name in dst's type. A source field without a destination is an error: a
// field added to the model must be added to the dump types too.
func dumpFields(dst, src reflect.Type) ([]int, error) {
	key := [2]reflect.Type{dst, src}
	if v, ok := dumpFieldMaps.Load(key); ok {
		if err, bad := v.(error); bad {
			return nil, err
		}
		return v.([]int), nil
	}
	out := make([]int, src.NumField())
	var err error
	for i := range src.NumField() {
		sf := src.Field(i)
		out[i] = -1
		if !sf.IsExported() {
			continue
		}
		df, ok := dst.FieldByName(sf.Name)
		if !ok || len(df.Index) != 1 {
			err = fmt.Errorf("config dump: %s has no field %s of %s", dst, sf.Name, src)
			break
		}
		out[i] = df.Index[0]
	}
	if err != nil {
		dumpFieldMaps.Store(key, err)
		return nil, err
	}
	dumpFieldMaps.Store(key, out)
	return out, nil
}

// dumpCopy copies src into dst, whose type is src's or mirrors it (see
// dumpFields); nil pointers, slices and maps stay nil, empty ones empty.
// dumpCopyPointer copies when either side is a pointer: a nil source leaves
// dst as it is, a pointer destination gets a fresh value.
func dumpCopyPointer(dst, src reflect.Value) error {
	if src.Kind() == reflect.Pointer {
		if src.IsNil() {
			return nil
		}
		if dst.Kind() != reflect.Pointer {
			return dumpCopy(dst, src.Elem())
		}
		src = src.Elem()
	}
	p := reflect.New(dst.Type().Elem())
	if err := dumpCopy(p.Elem(), src); err != nil {
		return err
	}
	dst.Set(p)
	return nil
}

// dumpCopySlice copies element by element (nil stays nil).
func dumpCopySlice(dst, src reflect.Value) error {
	if src.IsNil() {
		return nil
	}
	s := reflect.MakeSlice(dst.Type(), src.Len(), src.Len())
	for i := range src.Len() {
		if err := dumpCopy(s.Index(i), src.Index(i)); err != nil {
			return err
		}
	}
	dst.Set(s)
	return nil
}

// dumpCopyMap copies entry by entry (nil stays nil).
func dumpCopyMap(dst, src reflect.Value) error {
	if src.IsNil() {
		return nil
	}
	m := reflect.MakeMapWithSize(dst.Type(), src.Len())
	it := src.MapRange()
	for it.Next() {
		v := reflect.New(dst.Type().Elem()).Elem()
		if err := dumpCopy(v, it.Value()); err != nil {
			return err
		}
		m.SetMapIndex(it.Key().Convert(dst.Type().Key()), v)
	}
	dst.Set(m)
	return nil
}

func dumpCopy(dst, src reflect.Value) error {
	if dst.Type() == src.Type() {
		dst.Set(src)
		return nil
	}
	if src.Kind() == reflect.Pointer || dst.Kind() == reflect.Pointer {
		return dumpCopyPointer(dst, src)
	}
	if dst.Kind() != src.Kind() {
		return fmt.Errorf("config dump: cannot copy %s into %s", src.Type(), dst.Type())
	}
	switch src.Kind() {
	case reflect.Struct:
		fields, err := dumpFields(dst.Type(), src.Type())
		if err != nil {
			return err
		}
		for i, j := range fields {
			if j >= 0 {
				if err := dumpCopy(dst.Field(j), src.Field(i)); err != nil {
					return err
				}
			}
		}
	case reflect.Slice:
		return dumpCopySlice(dst, src)
	case reflect.Map:
		return dumpCopyMap(dst, src)
	default:
		if !src.Type().ConvertibleTo(dst.Type()) {
			return fmt.Errorf("config dump: cannot copy %s into %s", src.Type(), dst.Type())
		}
		dst.Set(src.Convert(dst.Type()))
	}
	return nil
}
