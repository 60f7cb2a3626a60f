// Package config defines the azldev TOML configuration model and loads it:
// root discovery, includes, strict decoding, per-file validation, merging and
// path resolution. Per-component inheritance lives in package resolve.
package config

// File is the schema of one azldev TOML configuration file.
type File struct {
	Schema                 string                       `toml:"$schema" json:"$schema,omitempty"`
	Project                ProjectInfo                  `toml:"project" json:"project" jsonschema:"title=Project info,description=Project-wide settings"`
	Includes               []string                     `toml:"includes" json:"includes,omitempty" jsonschema:"title=Includes,description=Glob patterns of further configuration files; relative to this file"`
	Distros                map[string]*DistroDefinition `toml:"distros" json:"distros,omitempty" jsonschema:"title=Distros,description=Distribution definitions by name"`
	Resources              ResourcesConfig              `toml:"resources" json:"resources" jsonschema:"title=Resources,description=RPM repositories and repository sets"`
	ComponentGroups        map[string]*ComponentGroup   `toml:"component-groups" json:"componentGroups,omitempty" jsonschema:"title=Component groups,description=Named sets of components sharing defaults"`
	Components             map[string]*ComponentConfig  `toml:"components" json:"components,omitempty" jsonschema:"title=Components,description=Components (one per source package) by name"`
	Images                 map[string]*ImageConfig      `toml:"images" json:"images,omitempty" jsonschema:"title=Images,description=Image definitions by name"`
	Tools                  ToolsConfig                  `toml:"tools" json:"tools" jsonschema:"title=Tools configuration,description=Settings for external tools"`
	DefaultComponentConfig ComponentConfig              `toml:"default-component-config" json:"defaultComponentConfig" jsonschema:"title=Default component config,description=Defaults inherited by every component"`
	DefaultPackageConfig   PackageConfig                `toml:"default-package-config" json:"defaultPackageConfig" jsonschema:"title=Default package config,description=Defaults for every binary package"`
	PackageGroups          map[string]*PackageGroup     `toml:"package-groups" json:"packageGroups,omitempty" jsonschema:"title=Package groups,description=Named sets of binary packages sharing publish settings"`
	TestSuites             map[string]*TestSuiteConfig  `toml:"test-suites" json:"testSuites,omitempty" jsonschema:"title=Test Suites,description=Image test suites by name"`
}

// ProjectInfo is the [project] table.
type ProjectInfo struct {
	Description        string          `toml:"description" json:"description,omitempty" jsonschema:"title=Description"`
	LogDir             string          `toml:"log-dir" json:"logDir,omitempty" jsonschema:"title=Log Directory"`
	WorkDir            string          `toml:"work-dir" json:"workDir,omitempty" jsonschema:"title=Work Directory"`
	OutputDir          string          `toml:"output-dir" json:"outputDir,omitempty" jsonschema:"title=Output Directory"`
	RenderedSpecsDir   string          `toml:"rendered-specs-dir" json:"renderedSpecsDir,omitempty" jsonschema:"title=Rendered Specs Directory"`
	LockDir            string          `toml:"lock-dir" json:"lockDir,omitempty" jsonschema:"title=Lock Directory"`
	DefaultDistro      DistroReference `toml:"default-distro" json:"defaultDistro" jsonschema:"title=Default Distro"`
	DefaultAuthorEmail string          `toml:"default-author-email" json:"defaultAuthorEmail,omitempty" jsonschema:"title=Default Author Email"`
}

// DistroReference names a distro, a version of it, and optionally a snapshot time.
type DistroReference struct {
	Name     string `toml:"name" json:"name,omitempty" jsonschema:"title=Name"`
	Version  string `toml:"version" json:"version,omitempty" jsonschema:"title=Version"`
	Snapshot string `toml:"snapshot" json:"snapshot,omitempty" jsonschema:"title=Snapshot,description=RFC 3339 time; upstream commits are resolved as of this time"`
}

// DistroDefinition is one [distros.NAME] table.
type DistroDefinition struct {
	Description      string                              `toml:"description" json:"description,omitempty" jsonschema:"title=Description"`
	DefaultVersion   string                              `toml:"default-version" json:"defaultVersion,omitempty" jsonschema:"title=Default version"`
	DistGitBaseURI   string                              `toml:"dist-git-base-uri" json:"distGitBaseUri,omitempty" jsonschema:"title=Dist-git base URI,description=URI template of a package's dist-git repository; $pkg is the package name"`
	LookasideBaseURI string                              `toml:"lookaside-base-uri" json:"lookasideBaseUri,omitempty" jsonschema:"title=Lookaside base URI,description=URI template of the lookaside cache; $pkg $filename $hashtype $hash"`
	Repos            []PackageRepository                 `toml:"repos" json:"repos,omitempty" jsonschema:"title=Package Repositories"`
	DisableOrigins   bool                                `toml:"disable-origins" json:"disableOrigins,omitempty" jsonschema:"title=Disable origins,description=Never download source files from their origin URIs"`
	Versions         map[string]*DistroVersionDefinition `toml:"versions" json:"versions,omitempty" jsonschema:"title=Versions"`
}

// PackageRepository is an RPM repository of a distro.
type PackageRepository struct {
	BaseURI string `toml:"base-uri" json:"baseUri" jsonschema:"title=Base URI,required"`
}

// DistroVersionDefinition is one [distros.NAME.versions.VERSION] table.
type DistroVersionDefinition struct {
	Description            string              `toml:"description" json:"description,omitempty" jsonschema:"title=Description"`
	ReleaseVer             string              `toml:"release-ver" json:"releaseVer" jsonschema:"title=Release version,required"`
	DistGitBranch          string              `toml:"dist-git-branch" json:"distGitBranch,omitempty" jsonschema:"title=Dist-git branch"`
	DefaultComponentConfig ComponentConfig     `toml:"default-component-config" json:"defaultComponentConfig" jsonschema:"title=Default component config"`
	MockConfig             string              `toml:"mock-config" json:"mockConfig,omitempty" jsonschema:"title=Mock config file"`
	MockConfigX8664        string              `toml:"mock-config-x86_64" json:"mockConfigX86_64,omitempty" jsonschema:"title=Mock config file (x86_64)"`
	MockConfigAarch64      string              `toml:"mock-config-aarch64" json:"mockConfigAarch64,omitempty" jsonschema:"title=Mock config file (aarch64)"`
	Inputs                 DistroVersionInputs `toml:"inputs" json:"inputs" jsonschema:"title=Inputs"`
}

// DistroVersionInputs lists the repositories used to build RPMs and images.
type DistroVersionInputs struct {
	RPMBuild   []DistroVersionInput `toml:"rpm-build" json:"rpmBuild,omitempty" jsonschema:"title=RPM-build inputs"`
	ImageBuild []DistroVersionInput `toml:"image-build" json:"imageBuild,omitempty" jsonschema:"title=Image-build inputs"`
}

// DistroVersionInput references a repository or a repository set.
type DistroVersionInput struct {
	Repo string `toml:"repo" json:"repo,omitempty" jsonschema:"title=Repo"`
	Set  string `toml:"set" json:"set,omitempty" jsonschema:"title=Set"`
}

// ComponentConfig is a component's configuration, or a layer of defaults for it.
type ComponentConfig struct {
	Spec         SpecSource                `toml:"spec" json:"spec" jsonschema:"title=Spec,description=Where the component's spec comes from"`
	Release      ReleaseConfig             `toml:"release" json:"release" jsonschema:"title=Release configuration"`
	Overlays     []ComponentOverlay        `toml:"overlays" json:"overlays,omitempty" jsonschema:"title=Overlays,description=Declarative changes applied to the spec and its sources"`
	OverlayFiles []string                  `toml:"overlay-files" json:"overlayFiles,omitempty" jsonschema:"title=Overlay files,description=Glob patterns of overlay documents"`
	Build        ComponentBuildConfig      `toml:"build" json:"build" jsonschema:"title=Build configuration"`
	Render       ComponentRenderConfig     `toml:"render" json:"render" jsonschema:"title=Render configuration"`
	SourceFiles  []SourceFileReference     `toml:"source-files" json:"sourceFiles,omitempty" jsonschema:"title=Source files,description=Extra source files and where they come from"`
	Packages     map[string]*PackageConfig `toml:"packages" json:"packages,omitempty" jsonschema:"title=Package overrides,description=Per binary package settings"`
	Publish      ComponentPublishConfig    `toml:"publish" json:"publish" jsonschema:"title=Publish settings"`
}

// SpecSource says where a component's spec comes from.
type SpecSource struct {
	Type           string          `toml:"type" json:"type,omitempty" jsonschema:"title=Source Type,enum=local,enum=upstream,enum="`
	Path           string          `toml:"path" json:"path,omitempty" jsonschema:"title=Path,description=Spec file path for local components"`
	UpstreamDistro DistroReference `toml:"upstream-distro" json:"upstreamDistro" jsonschema:"title=Upstream distro"`
	UpstreamName   string          `toml:"upstream-name" json:"upstreamName,omitempty" jsonschema:"title=Upstream component name"`
	UpstreamCommit string          `toml:"upstream-commit" json:"upstreamCommit,omitempty" jsonschema:"title=Upstream commit,pattern=^[0-9a-fA-F]+$"`
}

// Spec source types.
const (
	SpecTypeLocal    = "local"
	SpecTypeUpstream = "upstream"
)

// ReleaseConfig selects how the Release tag is computed.
type ReleaseConfig struct {
	Calculation string `toml:"calculation" json:"calculation,omitempty" jsonschema:"title=Release calculation,enum=auto,enum=autorelease,enum=static,enum=manual"`
}

// ComponentOverlay is one declarative change to a component's spec or sources.
type ComponentOverlay struct {
	Type        string           `toml:"type" json:"type" jsonschema:"title=Overlay type,required"`
	Description string           `toml:"description" json:"description,omitempty" jsonschema:"title=Description,description=Why the overlay exists"`
	File        string           `toml:"file" json:"file,omitempty" jsonschema:"title=Filename,description=Target file or glob; relative to the sources (or archive) root"`
	Archive     string           `toml:"archive" json:"archive,omitempty" jsonschema:"title=Archive,description=Source archive whose contents the overlay edits"`
	Section     string           `toml:"section" json:"section,omitempty" jsonschema:"title=Section name"`
	Package     string           `toml:"package" json:"package,omitempty" jsonschema:"title=Package name"`
	Tag         string           `toml:"tag" json:"tag,omitempty" jsonschema:"title=Tag"`
	Value       string           `toml:"value" json:"value,omitempty" jsonschema:"title=Value"`
	Regex       string           `toml:"regex" json:"regex,omitempty" jsonschema:"title=Regular expression,description=RE2 syntax"`
	Replacement string           `toml:"replacement" json:"replacement,omitempty" jsonschema:"title=Replacement text,description=Inserted literally"`
	Lines       []string         `toml:"lines" json:"lines,omitempty" jsonschema:"title=Lines"`
	Source      string           `toml:"source" json:"source,omitempty" jsonschema:"title=Source,description=Input file; relative to the declaring file"`
	Metadata    *OverlayMetadata `toml:"metadata" json:"metadata,omitempty" jsonschema:"title=Metadata"`
}

// OverlayMetadata records why a deviation from upstream exists.
type OverlayMetadata struct {
	Category       string   `toml:"category" json:"category" jsonschema:"title=Category,required"`
	Commits        []URLRef `toml:"commits" json:"commits,omitempty" jsonschema:"title=Commits"`
	Bugs           []URLRef `toml:"bugs" json:"bugs,omitempty" jsonschema:"title=Bug references"`
	UpstreamStatus string   `toml:"upstream-status" json:"upstreamStatus" jsonschema:"title=Upstream status,required"`
}

// URLRef is a reference by URL.
type URLRef struct {
	URL string `toml:"url" json:"url" jsonschema:"title=URL,required,pattern=^https?://"`
}

// ComponentBuildConfig holds the build options of a component.
type ComponentBuildConfig struct {
	With                   []string          `toml:"with" json:"with,omitempty" jsonschema:"title=With options"`
	Without                []string          `toml:"without" json:"without,omitempty" jsonschema:"title=Without options"`
	Defines                map[string]string `toml:"defines" json:"defines,omitempty" jsonschema:"title=Macro definitions"`
	Undefines              []string          `toml:"undefines" json:"undefines,omitempty" jsonschema:"title=Undefined macros"`
	EmitUpstreamProvenance bool              `toml:"emit-upstream-provenance" json:"emitUpstreamProvenance,omitempty" jsonschema:"title=Emit upstream provenance macros"`
	Check                  CheckConfig       `toml:"check" json:"check" jsonschema:"title=Check configuration"`
	Failure                BuildFailure      `toml:"failure" json:"failure" jsonschema:"title=Build failure configuration"`
	Hints                  BuildHints        `toml:"hints" json:"hints" jsonschema:"title=Build hints"`
}

// CheckConfig controls the %check section.
type CheckConfig struct {
	Skip       bool   `toml:"skip" json:"skip,omitempty" jsonschema:"title=Skip check"`
	SkipReason string `toml:"skip_reason" json:"skipReason,omitempty" jsonschema:"title=Skip reason"`
}

// BuildFailure marks a component whose build is expected to fail.
type BuildFailure struct {
	Expected       bool   `toml:"expected" json:"expected,omitempty" jsonschema:"title=Expected failure"`
	ExpectedReason string `toml:"expected-reason" json:"expectedReason,omitempty" jsonschema:"title=Expected failure reason"`
}

// BuildHints are scheduling hints.
type BuildHints struct {
	Expensive bool `toml:"expensive" json:"expensive,omitempty" jsonschema:"title=Expensive to build"`
}

// ComponentRenderConfig controls rendering.
type ComponentRenderConfig struct {
	SkipFileFilter bool `toml:"skip-file-filter" json:"skipFileFilter,omitempty" jsonschema:"title=Skip file filter"`
}

// SourceFileReference is an extra source file of a component.
type SourceFileReference struct {
	Filename        string `toml:"filename" json:"filename" jsonschema:"required"`
	Hash            string `toml:"hash" json:"hash,omitempty"`
	HashType        string `toml:"hash-type" json:"hashType,omitempty" jsonschema:"title=Hash type,enum=SHA256,enum=SHA512"`
	Origin          Origin `toml:"origin" json:"origin"`
	ReplaceUpstream bool   `toml:"replace-upstream" json:"replaceUpstream,omitempty" jsonschema:"title=Replace upstream"`
	ReplaceReason   string `toml:"replace-reason" json:"replaceReason,omitempty" jsonschema:"title=Replace reason"`
}

// Origin says where a source file comes from.
type Origin struct {
	Type         string   `toml:"type" json:"type" jsonschema:"title=Origin type,required,enum=download,enum=custom,enum=overlay"`
	URI          string   `toml:"uri" json:"uri,omitempty" jsonschema:"title=URI"`
	Script       string   `toml:"script" json:"script,omitempty" jsonschema:"title=Script"`
	MockPackages []string `toml:"mock-packages" json:"mockPackages,omitempty" jsonschema:"title=Mock packages"`
	Inputs       []string `toml:"inputs" json:"inputs,omitempty" jsonschema:"title=Inputs"`
}

// Source-file origin types.
const (
	OriginDownload = "download"
	OriginCustom   = "custom"
	OriginOverlay  = "overlay"
)

// PackageConfig holds the settings of one binary package.
type PackageConfig struct {
	Publish PackagePublishConfig `toml:"publish" json:"publish" jsonschema:"title=Publish settings"`
}

// PackagePublishConfig selects publish channels of a binary package.
type PackagePublishConfig struct {
	RPMChannel       string `toml:"rpm-channel" json:"rpmChannel,omitempty" jsonschema:"title=RPM channel"`
	DebuginfoChannel string `toml:"debuginfo-channel" json:"debuginfoChannel,omitempty" jsonschema:"title=Debuginfo channel"`
	Channel          string `toml:"channel" json:"-" jsonschema:"title=Channel (deprecated; use rpm-channel)"`
}

// ComponentPublishConfig selects publish channels of a component's outputs.
type ComponentPublishConfig struct {
	RPMChannel       string `toml:"rpm-channel" json:"rpmChannel,omitempty" jsonschema:"title=RPM channel"`
	SRPMChannel      string `toml:"srpm-channel" json:"srpmChannel,omitempty" jsonschema:"title=SRPM channel"`
	DebuginfoChannel string `toml:"debuginfo-channel" json:"debuginfoChannel,omitempty" jsonschema:"title=Debuginfo channel"`
}

// ComponentGroup is one [component-groups.NAME] table.
type ComponentGroup struct {
	Description            string           `toml:"description" json:"description,omitempty" jsonschema:"title=Description"`
	Metadata               *OverlayMetadata `toml:"metadata" json:"metadata,omitempty" jsonschema:"title=Metadata"`
	Components             []string         `toml:"components" json:"components,omitempty" jsonschema:"title=Components"`
	Specs                  []string         `toml:"specs" json:"specs,omitempty" jsonschema:"title=Spec path patterns,description=Globs of local spec files; each match is a member component"`
	ExcludedPaths          []string         `toml:"excluded-paths" json:"excludedPaths,omitempty" jsonschema:"title=Excluded path patterns"`
	DefaultComponentConfig ComponentConfig  `toml:"default-component-config" json:"defaultComponentConfig" jsonschema:"title=Default component configuration"`
}

// PackageGroup is one [package-groups.NAME] table.
type PackageGroup struct {
	Description          string        `toml:"description" json:"description,omitempty" jsonschema:"title=Description"`
	Packages             []string      `toml:"packages" json:"packages,omitempty" jsonschema:"title=Packages"`
	DefaultPackageConfig PackageConfig `toml:"default-package-config" json:"defaultPackageConfig" jsonschema:"title=Default package config"`
}

// ImageConfig is one [images.NAME] table.
type ImageConfig struct {
	Description  string             `toml:"description" json:"description,omitempty" jsonschema:"title=Description"`
	Definition   ImageDefinition    `toml:"definition" json:"definition" jsonschema:"title=Definition"`
	Capabilities ImageCapabilities  `toml:"capabilities" json:"capabilities" jsonschema:"title=Capabilities"`
	Tests        ImageTestsConfig   `toml:"tests" json:"tests" jsonschema:"title=Tests"`
	Publish      ImagePublishConfig `toml:"publish" json:"publish" jsonschema:"title=Publish settings"`
}

// ImageDefinition locates an image description.
type ImageDefinition struct {
	Type    string `toml:"type" json:"type,omitempty" jsonschema:"title=Type"`
	Path    string `toml:"path" json:"path" jsonschema:"title=Path"`
	Profile string `toml:"profile" json:"profile,omitempty" jsonschema:"title=Profile"`
}

// ImageCapabilities are tri-state: unset, true or false.
type ImageCapabilities struct {
	MachineBootable          *bool `toml:"machine-bootable" json:"machineBootable,omitempty" jsonschema:"title=Machine bootable"`
	Container                *bool `toml:"container" json:"container,omitempty" jsonschema:"title=Container"`
	Systemd                  *bool `toml:"systemd" json:"systemd,omitempty" jsonschema:"title=Systemd"`
	RuntimePackageManagement *bool `toml:"runtime-package-management" json:"runtimePackageManagement,omitempty" jsonschema:"title=Runtime package management"`
}

// ImageTestsConfig lists the test suites run against an image.
type ImageTestsConfig struct {
	TestSuites []TestSuiteRef `toml:"test-suites" json:"testSuites,omitempty" jsonschema:"title=Test Suites"`
}

// TestSuiteRef references a test suite by name.
type TestSuiteRef struct {
	Name string `toml:"name" json:"name" jsonschema:"title=Name,required"`
}

// ImagePublishConfig lists an image's publish channels.
type ImagePublishConfig struct {
	Channels []string `toml:"channels" json:"channels,omitempty" jsonschema:"title=Channels"`
}

// TestSuiteConfig is one [test-suites.NAME] table.
type TestSuiteConfig struct {
	Description string        `toml:"description" json:"description,omitempty" jsonschema:"title=Description"`
	Type        string        `toml:"type" json:"type" jsonschema:"title=Type,required,enum=pytest,enum=lisa"`
	Pytest      *PytestConfig `toml:"pytest" json:"pytest,omitempty" jsonschema:"title=Pytest config"`
	Lisa        *LisaConfig   `toml:"lisa" json:"lisa,omitempty" jsonschema:"title=LISA config"`
}

// PytestConfig configures a pytest suite.
type PytestConfig struct {
	WorkingDir string   `toml:"working-dir" json:"workingDir,omitempty" jsonschema:"title=Working directory"`
	TestPaths  []string `toml:"test-paths" json:"testPaths,omitempty" jsonschema:"title=Test paths"`
	ExtraArgs  []string `toml:"extra-args" json:"extraArgs,omitempty" jsonschema:"title=Extra arguments"`
	Install    string   `toml:"install" json:"install,omitempty" jsonschema:"title=Install mode,enum=pyproject,enum=requirements,enum=none"`
}

// LisaConfig configures a LISA suite.
type LisaConfig struct {
	Framework     GitSourceConfig `toml:"framework" json:"framework" jsonschema:"title=Framework,required"`
	TestCases     []string        `toml:"test-cases" json:"testCases,omitempty" jsonschema:"title=Test cases,required"`
	PipPreInstall []string        `toml:"pip-pre-install" json:"pipPreInstall,omitempty" jsonschema:"title=Pip pre-install"`
	PipExtras     []string        `toml:"pip-extras" json:"pipExtras,omitempty" jsonschema:"title=Pip extras"`
	ExtraArgs     []string        `toml:"extra-args" json:"extraArgs,omitempty" jsonschema:"title=Extra arguments"`
}

// GitSourceConfig pins a git repository at a ref.
type GitSourceConfig struct {
	GitURL string `toml:"git-url" json:"gitUrl" jsonschema:"title=Git URL,required"`
	Ref    string `toml:"ref" json:"ref" jsonschema:"title=Ref,required"`
}

// ToolsConfig is the [tools] table.
type ToolsConfig struct {
	ImageCustomizer ImageCustomizerConfig `toml:"imageCustomizer" json:"imageCustomizer" jsonschema:"title=Image Customizer tool configuration"`
}

// ImageCustomizerConfig configures the Image Customizer container.
type ImageCustomizerConfig struct {
	ContainerTag string `toml:"containerTag" json:"containerTag,omitempty" jsonschema:"title=Container tag"`
}

// ResourcesConfig is the [resources] table.
type ResourcesConfig struct {
	RPMRepos            map[string]*RPMRepoResource    `toml:"rpm-repos" json:"rpmRepos,omitempty" jsonschema:"title=RPM repositories"`
	RPMRepoSetTemplates map[string]*RPMRepoSetTemplate `toml:"rpm-repo-set-templates" json:"rpmRepoSetTemplates,omitempty" jsonschema:"title=RPM repo set templates"`
	RPMRepoSets         map[string]*RPMRepoSet         `toml:"rpm-repo-sets" json:"rpmRepoSets,omitempty" jsonschema:"title=RPM repo sets"`
}

// RPMRepoResource is one RPM repository.
type RPMRepoResource struct {
	Description     string   `toml:"description" json:"description,omitempty" jsonschema:"title=Description"`
	Type            string   `toml:"type" json:"type,omitempty" jsonschema:"title=Type,enum=rpm-md"`
	BaseURI         string   `toml:"base-uri" json:"baseUri,omitempty" jsonschema:"title=Base URI,pattern=^https?://[^\\s]+$"`
	Metalink        string   `toml:"metalink" json:"metalink,omitempty" jsonschema:"title=Metalink,pattern=^https?://[^\\s]+$"`
	DisableGPGCheck bool     `toml:"disable-gpg-check" json:"disableGpgCheck,omitempty" jsonschema:"title=Disable GPG check"`
	GPGKey          string   `toml:"gpg-key" json:"gpgKey,omitempty" jsonschema:"title=GPG key"`
	Arches          []string `toml:"arches" json:"arches,omitempty" jsonschema:"title=Arches"`
}

// RPMRepoSetTemplate describes a layout of sub-repositories.
type RPMRepoSetTemplate struct {
	Description string        `toml:"description" json:"description,omitempty" jsonschema:"title=Description"`
	Subrepos    []SubrepoSpec `toml:"subrepos" json:"subrepos" jsonschema:"title=Sub-repos,required"`
}

// SubrepoSpec is one sub-repository of a template.
type SubrepoSpec struct {
	Name    string `toml:"name" json:"name" jsonschema:"title=Name,required"`
	Subpath string `toml:"subpath" json:"subpath" jsonschema:"title=Sub-path,required"`
	Kind    string `toml:"kind" json:"kind,omitempty" jsonschema:"title=Kind,enum=binary,enum=debug,enum=source"`
}

// RPMRepoSet instantiates a template at a base URI.
type RPMRepoSet struct {
	Description     string   `toml:"description" json:"description,omitempty" jsonschema:"title=Description"`
	Template        string   `toml:"template" json:"template" jsonschema:"title=Template,required"`
	BaseURI         string   `toml:"base-uri" json:"baseUri" jsonschema:"title=Base URI,required,pattern=^https?://[^\\s]+$"`
	NamePrefix      string   `toml:"name-prefix" json:"namePrefix,omitempty" jsonschema:"title=Name prefix"`
	GPGKey          string   `toml:"gpg-key" json:"gpgKey,omitempty" jsonschema:"title=GPG key"`
	DisableGPGCheck bool     `toml:"disable-gpg-check" json:"disableGpgCheck,omitempty" jsonschema:"title=Disable GPG check"`
	Arches          []string `toml:"arches" json:"arches,omitempty" jsonschema:"title=Arches"`
	Subrepos        []string `toml:"subrepos" json:"subrepos,omitempty" jsonschema:"title=Sub-repos"`
}
