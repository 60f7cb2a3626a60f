// Package config defines the azldev TOML configuration model and loads it:
// root discovery, includes, strict decoding, per-file validation, merging and
// path resolution. Per-component inheritance lives in package resolve.
package config

// File is the schema of one azldev TOML configuration file.
type File struct {
	Schema                 string                       `toml:"$schema,omitempty" json:"$schema,omitempty"`
	Project                ProjectInfo                  `toml:"project,omitempty" json:"project" jsonschema:"title=Project info,description=Project-wide settings"`
	Includes               []string                     `toml:"includes,omitempty" json:"includes,omitempty" jsonschema:"title=Includes,description=Glob patterns of further configuration files; relative to this file"`
	Distros                map[string]*DistroDefinition `toml:"distros,omitempty" json:"distros,omitempty" jsonschema:"title=Distros,description=Distribution definitions by name"`
	Resources              ResourcesConfig              `toml:"resources,omitempty" json:"resources" jsonschema:"title=Resources,description=RPM repositories and repository sets"`
	ComponentGroups        map[string]*ComponentGroup   `toml:"component-groups,omitempty" json:"componentGroups,omitempty" jsonschema:"title=Component groups,description=Named sets of components sharing defaults"`
	Components             map[string]*ComponentConfig  `toml:"components,omitempty" json:"components,omitempty" jsonschema:"title=Components,description=Components (one per source package) by name"`
	Images                 map[string]*ImageConfig      `toml:"images,omitempty" json:"images,omitempty" jsonschema:"title=Images,description=Image definitions by name"`
	Tools                  ToolsConfig                  `toml:"tools,omitempty" json:"tools" jsonschema:"title=Tools configuration,description=Settings for external tools"`
	DefaultComponentConfig ComponentConfig              `toml:"default-component-config,omitempty" json:"defaultComponentConfig" jsonschema:"title=Default component config,description=Defaults inherited by every component"`
	DefaultPackageConfig   PackageConfig                `toml:"default-package-config,omitempty" json:"defaultPackageConfig" jsonschema:"title=Default package config,description=Defaults for every binary package"`
	PackageGroups          map[string]*PackageGroup     `toml:"package-groups,omitempty" json:"packageGroups,omitempty" jsonschema:"title=Package groups,description=Named sets of binary packages sharing publish settings"`
	TestSuites             map[string]*TestSuiteConfig  `toml:"test-suites,omitempty" json:"testSuites,omitempty" jsonschema:"title=Test Suites,description=Image test suites by name"`
}

// ProjectInfo is the [project] table.
type ProjectInfo struct {
	Description        string          `toml:"description,omitempty" json:"description,omitempty" jsonschema:"title=Description"`
	LogDir             string          `toml:"log-dir,omitempty" json:"logDir,omitempty" jsonschema:"title=Log Directory"`
	WorkDir            string          `toml:"work-dir,omitempty" json:"workDir,omitempty" jsonschema:"title=Work Directory"`
	OutputDir          string          `toml:"output-dir,omitempty" json:"outputDir,omitempty" jsonschema:"title=Output Directory"`
	RenderedSpecsDir   string          `toml:"rendered-specs-dir,omitempty" json:"renderedSpecsDir,omitempty" jsonschema:"title=Rendered Specs Directory"`
	LockDir            string          `toml:"lock-dir,omitempty" json:"lockDir,omitempty" jsonschema:"title=Lock Directory"`
	DefaultDistro      DistroReference `toml:"default-distro,omitempty" json:"defaultDistro" jsonschema:"title=Default Distro"`
	DefaultAuthorEmail string          `toml:"default-author-email,omitempty" json:"defaultAuthorEmail,omitempty" jsonschema:"title=Default Author Email"`
}

// DistroReference names a distro, a version of it, and optionally a snapshot time.
type DistroReference struct {
	Name     string `toml:"name,omitempty" json:"name,omitempty" jsonschema:"title=Name"`
	Version  string `toml:"version,omitempty" json:"version,omitempty" jsonschema:"title=Version"`
	Snapshot string `toml:"snapshot,omitempty" json:"snapshot,omitempty" jsonschema:"title=Snapshot,description=RFC 3339 time; upstream commits are resolved as of this time"`
}

// DistroDefinition is one [distros.NAME] table.
type DistroDefinition struct {
	Description      string                              `toml:"description,omitempty" json:"description,omitempty" jsonschema:"title=Description"`
	DefaultVersion   string                              `toml:"default-version,omitempty" json:"defaultVersion,omitempty" jsonschema:"title=Default version"`
	DistGitBaseURI   string                              `toml:"dist-git-base-uri,omitempty" json:"distGitBaseUri,omitempty" jsonschema:"title=Dist-git base URI,description=URI template of a package's dist-git repository; $pkg is the package name"`
	LookasideBaseURI string                              `toml:"lookaside-base-uri,omitempty" json:"lookasideBaseUri,omitempty" jsonschema:"title=Lookaside base URI,description=URI template of the lookaside cache; $pkg $filename $hashtype $hash"`
	Repos            []PackageRepository                 `toml:"repos,omitempty" json:"repos,omitempty" jsonschema:"title=Package Repositories"`
	DisableOrigins   bool                                `toml:"disable-origins,omitempty" json:"disableOrigins,omitempty" jsonschema:"title=Disable origins,description=Never download source files from their origin URIs"`
	Versions         map[string]*DistroVersionDefinition `toml:"versions,omitempty" json:"versions,omitempty" jsonschema:"title=Versions"`
}

// PackageRepository is an RPM repository of a distro.
type PackageRepository struct {
	BaseURI string `toml:"base-uri,omitempty" json:"baseUri" jsonschema:"title=Base URI,required"`
}

// DistroVersionDefinition is one [distros.NAME.versions.VERSION] table.
type DistroVersionDefinition struct {
	Description            string              `toml:"description,omitempty" json:"description,omitempty" jsonschema:"title=Description"`
	ReleaseVer             string              `toml:"release-ver,omitempty" json:"releaseVer" jsonschema:"title=Release version,required"`
	DistGitBranch          string              `toml:"dist-git-branch,omitempty" json:"distGitBranch,omitempty" jsonschema:"title=Dist-git branch"`
	DefaultComponentConfig ComponentConfig     `toml:"default-component-config,omitempty" json:"defaultComponentConfig" jsonschema:"title=Default component config"`
	MockConfig             string              `toml:"mock-config,omitempty" json:"mockConfig,omitempty" jsonschema:"title=Mock config file"`
	MockConfigX8664        string              `toml:"mock-config-x86_64,omitempty" json:"mockConfigX86_64,omitempty" jsonschema:"title=Mock config file (x86_64)"`
	MockConfigAarch64      string              `toml:"mock-config-aarch64,omitempty" json:"mockConfigAarch64,omitempty" jsonschema:"title=Mock config file (aarch64)"`
	Inputs                 DistroVersionInputs `toml:"inputs,omitempty" json:"inputs" jsonschema:"title=Inputs"`
}

// DistroVersionInputs lists the repositories used to build RPMs and images.
type DistroVersionInputs struct {
	RPMBuild   []DistroVersionInput `toml:"rpm-build,omitempty" json:"rpmBuild,omitempty" jsonschema:"title=RPM-build inputs"`
	ImageBuild []DistroVersionInput `toml:"image-build,omitempty" json:"imageBuild,omitempty" jsonschema:"title=Image-build inputs"`
}

// DistroVersionInput references a repository or a repository set.
type DistroVersionInput struct {
	Repo string `toml:"repo,omitempty" json:"repo,omitempty" jsonschema:"title=Repo"`
	Set  string `toml:"set,omitempty" json:"set,omitempty" jsonschema:"title=Set"`
}

// ComponentConfig is a component's configuration, or a layer of defaults for it.
type ComponentConfig struct {
	Spec         SpecSource                `toml:"spec,omitempty" json:"spec" jsonschema:"title=Spec,description=Where the component's spec comes from"`
	Release      ReleaseConfig             `toml:"release,omitempty" json:"release" jsonschema:"title=Release configuration"`
	Overlays     []ComponentOverlay        `toml:"overlays,omitempty" json:"overlays,omitempty" jsonschema:"title=Overlays,description=Declarative changes applied to the spec and its sources"`
	OverlayFiles []string                  `toml:"overlay-files,omitempty" json:"overlayFiles,omitempty" jsonschema:"title=Overlay files,description=Glob patterns of overlay documents"`
	Build        ComponentBuildConfig      `toml:"build,omitempty" json:"build" jsonschema:"title=Build configuration"`
	Render       ComponentRenderConfig     `toml:"render,omitempty" json:"render" jsonschema:"title=Render configuration"`
	SourceFiles  []SourceFileReference     `toml:"source-files,omitempty" json:"sourceFiles,omitempty" jsonschema:"title=Source files,description=Extra source files and where they come from"`
	Packages     map[string]*PackageConfig `toml:"packages,omitempty" json:"packages,omitempty" jsonschema:"title=Package overrides,description=Per binary package settings"`
	Publish      ComponentPublishConfig    `toml:"publish,omitempty" json:"publish" jsonschema:"title=Publish settings"`
}

// SpecSource says where a component's spec comes from.
type SpecSource struct {
	Type           string          `toml:"type,omitempty" json:"type,omitempty" jsonschema:"title=Source Type,enum=local,enum=upstream,enum="`
	Path           string          `toml:"path,omitempty" json:"path,omitempty" jsonschema:"title=Path,description=Spec file path for local components"`
	UpstreamDistro DistroReference `toml:"upstream-distro,omitempty" json:"upstreamDistro" jsonschema:"title=Upstream distro"`
	UpstreamName   string          `toml:"upstream-name,omitempty" json:"upstreamName,omitempty" jsonschema:"title=Upstream component name"`
	UpstreamCommit string          `toml:"upstream-commit,omitempty" json:"upstreamCommit,omitempty" jsonschema:"title=Upstream commit,pattern=^[0-9a-fA-F]+$"`
}

// Spec source types.
const (
	SpecTypeLocal    = "local"
	SpecTypeUpstream = "upstream"
)

// ReleaseConfig selects how the Release tag is computed.
type ReleaseConfig struct {
	Calculation string `toml:"calculation,omitempty" json:"calculation,omitempty" jsonschema:"title=Release calculation,enum=auto,enum=autorelease,enum=static,enum=manual"`
}

// ComponentOverlay is one declarative change to a component's spec or sources.
type ComponentOverlay struct {
	Type        string           `toml:"type,omitempty" json:"type" jsonschema:"title=Overlay type,required"`
	Description string           `toml:"description,omitempty" json:"description,omitempty" jsonschema:"title=Description,description=Why the overlay exists"`
	File        string           `toml:"file,omitempty" json:"file,omitempty" jsonschema:"title=Filename,description=Target file or glob; relative to the sources (or archive) root"`
	Archive     string           `toml:"archive,omitempty" json:"archive,omitempty" jsonschema:"title=Archive,description=Source archive whose contents the overlay edits"`
	Section     string           `toml:"section,omitempty" json:"section,omitempty" jsonschema:"title=Section name"`
	Package     string           `toml:"package,omitempty" json:"package,omitempty" jsonschema:"title=Package name"`
	Tag         string           `toml:"tag,omitempty" json:"tag,omitempty" jsonschema:"title=Tag"`
	Value       string           `toml:"value,omitempty" json:"value,omitempty" jsonschema:"title=Value"`
	Regex       string           `toml:"regex,omitempty" json:"regex,omitempty" jsonschema:"title=Regular expression,description=RE2 syntax"`
	Replacement string           `toml:"replacement,omitempty" json:"replacement,omitempty" jsonschema:"title=Replacement text,description=Inserted literally"`
	Lines       []string         `toml:"lines,omitempty" json:"lines,omitempty" jsonschema:"title=Lines"`
	Source      string           `toml:"source,omitempty" json:"source,omitempty" jsonschema:"title=Source,description=Input file; relative to the declaring file"`
	Metadata    *OverlayMetadata `toml:"metadata,omitempty" json:"metadata,omitempty" jsonschema:"title=Metadata"`
}

// OverlayMetadata records why a deviation from upstream exists.
type OverlayMetadata struct {
	Category       string   `toml:"category,omitempty" json:"category" jsonschema:"title=Category,required"`
	Commits        []URLRef `toml:"commits,omitempty" json:"commits,omitempty" jsonschema:"title=Commits"`
	Bugs           []URLRef `toml:"bugs,omitempty" json:"bugs,omitempty" jsonschema:"title=Bug references"`
	UpstreamStatus string   `toml:"upstream-status,omitempty" json:"upstreamStatus" jsonschema:"title=Upstream status,required"`
}

// URLRef is a reference by URL.
type URLRef struct {
	URL string `toml:"url,omitempty" json:"url" jsonschema:"title=URL,required,pattern=^https?://"`
}

// ComponentBuildConfig holds the build options of a component.
type ComponentBuildConfig struct {
	With                   []string          `toml:"with,omitempty" json:"with,omitempty" jsonschema:"title=With options"`
	Without                []string          `toml:"without,omitempty" json:"without,omitempty" jsonschema:"title=Without options"`
	Defines                map[string]string `toml:"defines,omitempty" json:"defines,omitempty" jsonschema:"title=Macro definitions"`
	Undefines              []string          `toml:"undefines,omitempty" json:"undefines,omitempty" jsonschema:"title=Undefined macros"`
	EmitUpstreamProvenance bool              `toml:"emit-upstream-provenance,omitempty" json:"emitUpstreamProvenance,omitempty" jsonschema:"title=Emit upstream provenance macros"`
	Check                  CheckConfig       `toml:"check,omitempty" json:"check" jsonschema:"title=Check configuration"`
	Failure                BuildFailure      `toml:"failure,omitempty" json:"failure" jsonschema:"title=Build failure configuration"`
	Hints                  BuildHints        `toml:"hints,omitempty" json:"hints" jsonschema:"title=Build hints"`
}

// CheckConfig controls the %check section.
type CheckConfig struct {
	Skip       bool   `toml:"skip,omitempty" json:"skip,omitempty" jsonschema:"title=Skip check"`
	SkipReason string `toml:"skip_reason,omitempty" json:"skipReason,omitempty" jsonschema:"title=Skip reason"`
}

// BuildFailure marks a component whose build is expected to fail.
type BuildFailure struct {
	Expected       bool   `toml:"expected,omitempty" json:"expected,omitempty" jsonschema:"title=Expected failure"`
	ExpectedReason string `toml:"expected-reason,omitempty" json:"expectedReason,omitempty" jsonschema:"title=Expected failure reason"`
}

// BuildHints are scheduling hints.
type BuildHints struct {
	Expensive bool `toml:"expensive,omitempty" json:"expensive,omitempty" jsonschema:"title=Expensive to build"`
}

// ComponentRenderConfig controls rendering.
type ComponentRenderConfig struct {
	SkipFileFilter bool `toml:"skip-file-filter,omitempty" json:"skipFileFilter,omitempty" jsonschema:"title=Skip file filter"`
}

// SourceFileReference is an extra source file of a component.
type SourceFileReference struct {
	Filename        string `toml:"filename,omitempty" json:"filename" jsonschema:"required"`
	Hash            string `toml:"hash,omitempty" json:"hash,omitempty"`
	HashType        string `toml:"hash-type,omitempty" json:"hashType,omitempty" jsonschema:"title=Hash type,enum=SHA256,enum=SHA512"`
	Origin          Origin `toml:"origin,omitempty" json:"origin"`
	ReplaceUpstream bool   `toml:"replace-upstream,omitempty" json:"replaceUpstream,omitempty" jsonschema:"title=Replace upstream"`
	ReplaceReason   string `toml:"replace-reason,omitempty" json:"replaceReason,omitempty" jsonschema:"title=Replace reason"`
}

// Origin says where a source file comes from.
type Origin struct {
	Type         string   `toml:"type,omitempty" json:"type" jsonschema:"title=Origin type,required,enum=download,enum=custom,enum=overlay"`
	URI          string   `toml:"uri,omitempty" json:"uri,omitempty" jsonschema:"title=URI"`
	Script       string   `toml:"script,omitempty" json:"script,omitempty" jsonschema:"title=Script"`
	MockPackages []string `toml:"mock-packages,omitempty" json:"mockPackages,omitempty" jsonschema:"title=Mock packages"`
	Inputs       []string `toml:"inputs,omitempty" json:"inputs,omitempty" jsonschema:"title=Inputs"`
}

// Source-file origin types.
const (
	OriginDownload = "download"
	OriginCustom   = "custom"
	OriginOverlay  = "overlay"
)

// PackageConfig holds the settings of one binary package.
type PackageConfig struct {
	Publish PackagePublishConfig `toml:"publish,omitempty" json:"publish" jsonschema:"title=Publish settings"`
}

// PackagePublishConfig selects publish channels of a binary package.
type PackagePublishConfig struct {
	RPMChannel       string `toml:"rpm-channel,omitempty" json:"rpmChannel,omitempty" jsonschema:"title=RPM channel"`
	DebuginfoChannel string `toml:"debuginfo-channel,omitempty" json:"debuginfoChannel,omitempty" jsonschema:"title=Debuginfo channel"`
	Channel          string `toml:"channel,omitempty" json:"-" jsonschema:"title=Channel (deprecated; use rpm-channel)"`
}

// ComponentPublishConfig selects publish channels of a component's outputs.
type ComponentPublishConfig struct {
	RPMChannel       string `toml:"rpm-channel,omitempty" json:"rpmChannel,omitempty" jsonschema:"title=RPM channel"`
	SRPMChannel      string `toml:"srpm-channel,omitempty" json:"srpmChannel,omitempty" jsonschema:"title=SRPM channel"`
	DebuginfoChannel string `toml:"debuginfo-channel,omitempty" json:"debuginfoChannel,omitempty" jsonschema:"title=Debuginfo channel"`
}

// ComponentGroup is one [component-groups.NAME] table.
type ComponentGroup struct {
	Description            string           `toml:"description,omitempty" json:"description,omitempty" jsonschema:"title=Description"`
	Metadata               *OverlayMetadata `toml:"metadata,omitempty" json:"metadata,omitempty" jsonschema:"title=Metadata"`
	Components             []string         `toml:"components,omitempty" json:"components,omitempty" jsonschema:"title=Components"`
	Specs                  []string         `toml:"specs,omitempty" json:"specs,omitempty" jsonschema:"title=Spec path patterns,description=Globs of local spec files; each match is a member component"`
	ExcludedPaths          []string         `toml:"excluded-paths,omitempty" json:"excludedPaths,omitempty" jsonschema:"title=Excluded path patterns"`
	DefaultComponentConfig ComponentConfig  `toml:"default-component-config,omitempty" json:"defaultComponentConfig" jsonschema:"title=Default component configuration"`
}

// PackageGroup is one [package-groups.NAME] table.
type PackageGroup struct {
	Description          string        `toml:"description,omitempty" json:"description,omitempty" jsonschema:"title=Description"`
	Packages             []string      `toml:"packages,omitempty" json:"packages,omitempty" jsonschema:"title=Packages"`
	DefaultPackageConfig PackageConfig `toml:"default-package-config,omitempty" json:"defaultPackageConfig" jsonschema:"title=Default package config"`
}

// ImageConfig is one [images.NAME] table.
type ImageConfig struct {
	Description  string             `toml:"description,omitempty" json:"description,omitempty" jsonschema:"title=Description"`
	Definition   ImageDefinition    `toml:"definition,omitempty" json:"definition" jsonschema:"title=Definition"`
	Capabilities ImageCapabilities  `toml:"capabilities,omitempty" json:"capabilities" jsonschema:"title=Capabilities"`
	Tests        ImageTestsConfig   `toml:"tests,omitempty" json:"tests" jsonschema:"title=Tests"`
	Publish      ImagePublishConfig `toml:"publish,omitempty" json:"publish" jsonschema:"title=Publish settings"`
}

// ImageDefinition locates an image description.
type ImageDefinition struct {
	Type    string `toml:"type,omitempty" json:"type,omitempty" jsonschema:"title=Type"`
	Path    string `toml:"path,omitempty" json:"path" jsonschema:"title=Path"`
	Profile string `toml:"profile,omitempty" json:"profile,omitempty" jsonschema:"title=Profile"`
}

// ImageCapabilities are tri-state: unset, true or false.
type ImageCapabilities struct {
	MachineBootable          *bool `toml:"machine-bootable,omitempty" json:"machineBootable,omitempty" jsonschema:"title=Machine bootable"`
	Container                *bool `toml:"container,omitempty" json:"container,omitempty" jsonschema:"title=Container"`
	Systemd                  *bool `toml:"systemd,omitempty" json:"systemd,omitempty" jsonschema:"title=Systemd"`
	RuntimePackageManagement *bool `toml:"runtime-package-management,omitempty" json:"runtimePackageManagement,omitempty" jsonschema:"title=Runtime package management"`
}

// ImageTestsConfig lists the test suites run against an image.
type ImageTestsConfig struct {
	TestSuites []TestSuiteRef `toml:"test-suites,omitempty" json:"testSuites,omitempty" jsonschema:"title=Test Suites"`
}

// TestSuiteRef references a test suite by name.
type TestSuiteRef struct {
	Name string `toml:"name,omitempty" json:"name" jsonschema:"title=Name,required"`
}

// ImagePublishConfig lists an image's publish channels.
type ImagePublishConfig struct {
	Channels []string `toml:"channels,omitempty" json:"channels,omitempty" jsonschema:"title=Channels"`
}

// TestSuiteConfig is one [test-suites.NAME] table.
type TestSuiteConfig struct {
	Description string        `toml:"description,omitempty" json:"description,omitempty" jsonschema:"title=Description"`
	Type        string        `toml:"type,omitempty" json:"type" jsonschema:"title=Type,required,enum=pytest,enum=lisa"`
	Pytest      *PytestConfig `toml:"pytest,omitempty" json:"pytest,omitempty" jsonschema:"title=Pytest config"`
	Lisa        *LisaConfig   `toml:"lisa,omitempty" json:"lisa,omitempty" jsonschema:"title=LISA config"`
}

// PytestConfig configures a pytest suite.
type PytestConfig struct {
	WorkingDir string   `toml:"working-dir,omitempty" json:"workingDir,omitempty" jsonschema:"title=Working directory"`
	TestPaths  []string `toml:"test-paths,omitempty" json:"testPaths,omitempty" jsonschema:"title=Test paths"`
	ExtraArgs  []string `toml:"extra-args,omitempty" json:"extraArgs,omitempty" jsonschema:"title=Extra arguments"`
	Install    string   `toml:"install,omitempty" json:"install,omitempty" jsonschema:"title=Install mode,enum=pyproject,enum=requirements,enum=none"`
}

// LisaConfig configures a LISA suite.
type LisaConfig struct {
	Framework     GitSourceConfig `toml:"framework,omitempty" json:"framework" jsonschema:"title=Framework,required"`
	TestCases     []string        `toml:"test-cases,omitempty" json:"testCases,omitempty" jsonschema:"title=Test cases,required"`
	PipPreInstall []string        `toml:"pip-pre-install,omitempty" json:"pipPreInstall,omitempty" jsonschema:"title=Pip pre-install"`
	PipExtras     []string        `toml:"pip-extras,omitempty" json:"pipExtras,omitempty" jsonschema:"title=Pip extras"`
	ExtraArgs     []string        `toml:"extra-args,omitempty" json:"extraArgs,omitempty" jsonschema:"title=Extra arguments"`
}

// GitSourceConfig pins a git repository at a ref.
type GitSourceConfig struct {
	GitURL string `toml:"git-url,omitempty" json:"gitUrl" jsonschema:"title=Git URL,required"`
	Ref    string `toml:"ref,omitempty" json:"ref" jsonschema:"title=Ref,required"`
}

// ToolsConfig is the [tools] table.
type ToolsConfig struct {
	ImageCustomizer ImageCustomizerConfig `toml:"imageCustomizer,omitempty" json:"imageCustomizer" jsonschema:"title=Image Customizer tool configuration"`
}

// ImageCustomizerConfig configures the Image Customizer container.
type ImageCustomizerConfig struct {
	ContainerTag string `toml:"containerTag,omitempty" json:"containerTag,omitempty" jsonschema:"title=Container tag"`
}

// ResourcesConfig is the [resources] table.
type ResourcesConfig struct {
	RPMRepos            map[string]*RPMRepoResource    `toml:"rpm-repos,omitempty" json:"rpmRepos,omitempty" jsonschema:"title=RPM repositories"`
	RPMRepoSetTemplates map[string]*RPMRepoSetTemplate `toml:"rpm-repo-set-templates,omitempty" json:"rpmRepoSetTemplates,omitempty" jsonschema:"title=RPM repo set templates"`
	RPMRepoSets         map[string]*RPMRepoSet         `toml:"rpm-repo-sets,omitempty" json:"rpmRepoSets,omitempty" jsonschema:"title=RPM repo sets"`
}

// RPMRepoResource is one RPM repository.
type RPMRepoResource struct {
	Description     string   `toml:"description,omitempty" json:"description,omitempty" jsonschema:"title=Description"`
	Type            string   `toml:"type,omitempty" json:"type,omitempty" jsonschema:"title=Type,enum=rpm-md"`
	BaseURI         string   `toml:"base-uri,omitempty" json:"baseUri,omitempty" jsonschema:"title=Base URI,pattern=^https?://[^\\s]+$"`
	Metalink        string   `toml:"metalink,omitempty" json:"metalink,omitempty" jsonschema:"title=Metalink,pattern=^https?://[^\\s]+$"`
	DisableGPGCheck bool     `toml:"disable-gpg-check,omitempty" json:"disableGpgCheck,omitempty" jsonschema:"title=Disable GPG check"`
	GPGKey          string   `toml:"gpg-key,omitempty" json:"gpgKey,omitempty" jsonschema:"title=GPG key"`
	Arches          []string `toml:"arches,omitempty" json:"arches,omitempty" jsonschema:"title=Arches"`
}

// RPMRepoSetTemplate describes a layout of sub-repositories.
type RPMRepoSetTemplate struct {
	Description string        `toml:"description,omitempty" json:"description,omitempty" jsonschema:"title=Description"`
	Subrepos    []SubrepoSpec `toml:"subrepos,omitempty" json:"subrepos" jsonschema:"title=Sub-repos,required"`
}

// SubrepoSpec is one sub-repository of a template.
type SubrepoSpec struct {
	Name    string `toml:"name,omitempty" json:"name" jsonschema:"title=Name,required"`
	Subpath string `toml:"subpath,omitempty" json:"subpath" jsonschema:"title=Sub-path,required"`
	Kind    string `toml:"kind,omitempty" json:"kind,omitempty" jsonschema:"title=Kind,enum=binary,enum=debug,enum=source"`
}

// RPMRepoSet instantiates a template at a base URI.
type RPMRepoSet struct {
	Description     string   `toml:"description,omitempty" json:"description,omitempty" jsonschema:"title=Description"`
	Template        string   `toml:"template,omitempty" json:"template" jsonschema:"title=Template,required"`
	BaseURI         string   `toml:"base-uri,omitempty" json:"baseUri" jsonschema:"title=Base URI,required,pattern=^https?://[^\\s]+$"`
	NamePrefix      string   `toml:"name-prefix,omitempty" json:"namePrefix,omitempty" jsonschema:"title=Name prefix"`
	GPGKey          string   `toml:"gpg-key,omitempty" json:"gpgKey,omitempty" jsonschema:"title=GPG key"`
	DisableGPGCheck bool     `toml:"disable-gpg-check,omitempty" json:"disableGpgCheck,omitempty" jsonschema:"title=Disable GPG check"`
	Arches          []string `toml:"arches,omitempty" json:"arches,omitempty" jsonschema:"title=Arches"`
	Subrepos        []string `toml:"subrepos,omitempty" json:"subrepos,omitempty" jsonschema:"title=Sub-repos"`
}
