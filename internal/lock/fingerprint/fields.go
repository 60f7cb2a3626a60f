package fingerprint

// ConfigFields declares, for every field of config.ComponentConfig (walked
// recursively, named Type.Field), whether the config hash includes it. A
// test walks the configuration types and fails on any field missing here, so
// a new configuration field cannot silently stay out of the fingerprint; the
// same test mutates each field and checks that the hash changes exactly for
// the included ones.
//
// The value is "" for an included field, else the reason it is left out.
// Exclusions follow the reference implementation (fields that do not change
// the build output), and its quirks are kept so lock files match.
var ConfigFields = map[string]string{
	"ComponentConfig.Spec":         "",
	"ComponentConfig.Release":      "",
	"ComponentConfig.Overlays":     "",
	"ComponentConfig.OverlayFiles": "overlay documents are loaded into Overlays, which are hashed",
	"ComponentConfig.Build":        "",
	"ComponentConfig.Render":       "",
	"ComponentConfig.SourceFiles":  "",
	"ComponentConfig.Packages":     "", // every value hashes alike: only the package names count
	"ComponentConfig.Publish":      "publish channels do not change the build",

	"SpecSource.Type":           "",
	"SpecSource.Path":           "a local spec's location; its content is hashed as the source identity",
	"SpecSource.UpstreamDistro": "",
	"SpecSource.UpstreamName":   "",
	"SpecSource.UpstreamCommit": "",

	"DistroReference.Name":     "",
	"DistroReference.Version":  "",
	"DistroReference.Snapshot": "the resolved upstream commit is hashed instead (source identity)",

	"ReleaseConfig.Calculation": "",

	"ComponentOverlay.Type":        "",
	"ComponentOverlay.Description": "documentation only",
	"ComponentOverlay.File":        "",
	"ComponentOverlay.Archive":     "", // included only when set, as the reference does
	"ComponentOverlay.Section":     "",
	"ComponentOverlay.Package":     "",
	"ComponentOverlay.Tag":         "",
	"ComponentOverlay.Value":       "",
	"ComponentOverlay.Regex":       "",
	"ComponentOverlay.Replacement": "",
	"ComponentOverlay.Lines":       "",
	"ComponentOverlay.Source":      "a path; the overlay source files' contents are hashed separately",
	"ComponentOverlay.Metadata":    "documentation only",

	"OverlayMetadata.Category":       "documentation only",
	"OverlayMetadata.Commits":        "documentation only",
	"OverlayMetadata.Bugs":           "documentation only",
	"OverlayMetadata.UpstreamStatus": "documentation only",
	"URLRef.URL":                     "documentation only",

	"ComponentBuildConfig.With":                   "",
	"ComponentBuildConfig.Without":                "",
	"ComponentBuildConfig.Defines":                "",
	"ComponentBuildConfig.Undefines":              "",
	"ComponentBuildConfig.EmitUpstreamProvenance": "", // included only when true, as the reference does
	"ComponentBuildConfig.Check":                  "",
	"ComponentBuildConfig.Failure":                "expected-failure bookkeeping does not change the build",
	"ComponentBuildConfig.Hints":                  "scheduling hints do not change the build",

	"CheckConfig.Skip":       "",
	"CheckConfig.SkipReason": "documentation only",

	"BuildFailure.Expected":       "see ComponentBuildConfig.Failure",
	"BuildFailure.ExpectedReason": "see ComponentBuildConfig.Failure",
	"BuildHints.Expensive":        "see ComponentBuildConfig.Hints",

	"ComponentRenderConfig.SkipFileFilter": "",

	"SourceFileReference.Filename":        "",
	"SourceFileReference.Hash":            "",
	"SourceFileReference.HashType":        "",
	"SourceFileReference.Origin":          "", // included only when script, mock packages or inputs are set
	"SourceFileReference.ReplaceUpstream": "",
	"SourceFileReference.ReplaceReason":   "documentation only",

	"Origin.Type":         "the reference leaves it out (the hash pins the file's content)",
	"Origin.URI":          "the reference leaves it out (the hash pins the file's content)",
	"Origin.Script":       "",
	"Origin.MockPackages": "",
	"Origin.Inputs":       "",

	"PackageConfig.Publish":                   "publish channels do not change the build",
	"PackagePublishConfig.RPMChannel":         "publish channels do not change the build",
	"PackagePublishConfig.DebuginfoChannel":   "publish channels do not change the build",
	"PackagePublishConfig.Channel":            "publish channels do not change the build",
	"ComponentPublishConfig.RPMChannel":       "publish channels do not change the build",
	"ComponentPublishConfig.SRPMChannel":      "publish channels do not change the build",
	"ComponentPublishConfig.DebuginfoChannel": "publish channels do not change the build",
}
