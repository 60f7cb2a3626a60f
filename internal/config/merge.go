package config

import (
	"maps"
	"slices"
)

// MergeComponent merges the layer src onto dst with the inheritance rules:
// non-empty strings replace, a true boolean sets (false never clears), arrays
// are appended, maps merge key-wise, nested tables merge field by field, and
// overlay-files is replaced whenever src sets it. dst never shares slices or
// maps with src afterwards.
func MergeComponent(dst *ComponentConfig, src *ComponentConfig) {
	mergeSpec(&dst.Spec, &src.Spec)
	setStr(&dst.Release.Calculation, src.Release.Calculation)
	dst.Overlays = slices.Concat(dst.Overlays, src.Overlays)
	if src.OverlayFiles != nil {
		dst.OverlayFiles = slices.Clone(src.OverlayFiles)
	}
	mergeBuild(&dst.Build, &src.Build)
	dst.Render.SkipFileFilter = dst.Render.SkipFileFilter || src.Render.SkipFileFilter
	dst.SourceFiles = slices.Concat(dst.SourceFiles, src.SourceFiles)
	if len(src.Packages) > 0 {
		dst.Packages = maps.Clone(dst.Packages)
		if dst.Packages == nil {
			dst.Packages = make(map[string]*PackageConfig, len(src.Packages))
		}
		maps.Copy(dst.Packages, src.Packages)
	}
	setStr(&dst.Publish.RPMChannel, src.Publish.RPMChannel)
	setStr(&dst.Publish.SRPMChannel, src.Publish.SRPMChannel)
	setStr(&dst.Publish.DebuginfoChannel, src.Publish.DebuginfoChannel)
}

func mergeSpec(dst, src *SpecSource) {
	setStr(&dst.Type, src.Type)
	setStr(&dst.Path, src.Path)
	mergeDistroRef(&dst.UpstreamDistro, &src.UpstreamDistro)
	setStr(&dst.UpstreamName, src.UpstreamName)
	setStr(&dst.UpstreamCommit, src.UpstreamCommit)
}

func mergeDistroRef(dst, src *DistroReference) {
	setStr(&dst.Name, src.Name)
	setStr(&dst.Version, src.Version)
	setStr(&dst.Snapshot, src.Snapshot)
}

func mergeBuild(dst, src *ComponentBuildConfig) {
	dst.With = slices.Concat(dst.With, src.With)
	dst.Without = slices.Concat(dst.Without, src.Without)
	if len(src.Defines) > 0 {
		dst.Defines = maps.Clone(dst.Defines)
		if dst.Defines == nil {
			dst.Defines = make(map[string]string, len(src.Defines))
		}
		maps.Copy(dst.Defines, src.Defines)
	}
	dst.Undefines = slices.Concat(dst.Undefines, src.Undefines)
	dst.EmitUpstreamProvenance = dst.EmitUpstreamProvenance || src.EmitUpstreamProvenance
	dst.Check.Skip = dst.Check.Skip || src.Check.Skip
	setStr(&dst.Check.SkipReason, src.Check.SkipReason)
	dst.Failure.Expected = dst.Failure.Expected || src.Failure.Expected
	setStr(&dst.Failure.ExpectedReason, src.Failure.ExpectedReason)
	dst.Hints.Expensive = dst.Hints.Expensive || src.Hints.Expensive
}

func setStr(dst *string, src string) {
	if src != "" {
		*dst = src
	}
}

// mergeProject overrides dst's fields with src's non-empty ones.
func mergeProject(dst, src *ProjectInfo) {
	setStr(&dst.Description, src.Description)
	setStr(&dst.LogDir, src.LogDir)
	setStr(&dst.WorkDir, src.WorkDir)
	setStr(&dst.OutputDir, src.OutputDir)
	setStr(&dst.RenderedSpecsDir, src.RenderedSpecsDir)
	setStr(&dst.LockDir, src.LockDir)
	mergeDistroRef(&dst.DefaultDistro, &src.DefaultDistro)
	setStr(&dst.DefaultAuthorEmail, src.DefaultAuthorEmail)
}

// mergeDistro overrides dst with src: fields by value, repos replaced, versions replaced per key.
func mergeDistro(dst, src *DistroDefinition) {
	setStr(&dst.Description, src.Description)
	setStr(&dst.DefaultVersion, src.DefaultVersion)
	setStr(&dst.DistGitBaseURI, src.DistGitBaseURI)
	setStr(&dst.LookasideBaseURI, src.LookasideBaseURI)
	if src.Repos != nil {
		dst.Repos = src.Repos
	}
	dst.DisableOrigins = dst.DisableOrigins || src.DisableOrigins
	if len(src.Versions) > 0 {
		dst.Versions = maps.Clone(dst.Versions)
		if dst.Versions == nil {
			dst.Versions = make(map[string]*DistroVersionDefinition, len(src.Versions))
		}
		maps.Copy(dst.Versions, src.Versions)
	}
}

func mergePackageConfig(dst, src *PackageConfig) {
	setStr(&dst.Publish.RPMChannel, src.Publish.RPMChannel)
	setStr(&dst.Publish.DebuginfoChannel, src.Publish.DebuginfoChannel)
	setStr(&dst.Publish.Channel, src.Publish.Channel)
}

// replaceEntries copies every entry of src into *dst, replacing same-named entries whole.
func replaceEntries[V any](dst *map[string]V, src map[string]V) {
	if len(src) == 0 {
		return
	}
	if *dst == nil {
		*dst = make(map[string]V, len(src))
	}
	maps.Copy(*dst, src)
}
