package config

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/azlforge/azldev/internal/foundation/commitid"
	"github.com/azlforge/azldev/internal/foundation/compression"
	"github.com/azlforge/azldev/internal/foundation/safepath"
)

var (
	fullHexPattern  = regexp.MustCompile(`^[0-9a-fA-F]{40}$`)
	httpURLPattern  = regexp.MustCompile(`^https?://\S+$`)
	schemePattern   = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*:`)
	safeNamePattern = regexp.MustCompile(`^[A-Za-z0-9._+-]+$`)
)

// Allowed values of enumerated fields.
var (
	releaseCalculations = []string{"auto", "autorelease", "static", "manual"}
	metadataCategories  = []string{
		"upstream-backport", "azl-pruning", "azl-compatibility", "azl-temp-workaround",
		"azl-branding-policy", "azl-disable-flaky-tests", "azl-disable-unsupported-tests",
		"azl-security-compliance", "azl-release-management", "azl-platform-adaptation",
	}
	upstreamStatuses = []string{"upstreamed", "upstreamable", "needs-upstream-hook", "inapplicable", "unknown"}
	hashTypes        = []string{"SHA256", "SHA512"}
	originTypes      = []string{OriginDownload, OriginCustom, OriginOverlay}
)

// validateFile applies the per-file rules to the entries declared in f.
func validateFile(f *File) problems {
	var ps problems
	for i, inc := range f.Includes {
		if strings.TrimSpace(inc) == "" {
			ps.add([]string{"includes", fmt.Sprint(i)}, "include pattern %d is empty", i+1)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(f.Components)) {
		validateComponent(&ps, []string{"components", name}, name, f.Components[name])
	}
	for _, name := range slices.Sorted(maps.Keys(f.ComponentGroups)) {
		validateGroup(&ps, []string{"component-groups", name}, name, f.ComponentGroups[name])
	}
	for _, name := range slices.Sorted(maps.Keys(f.PackageGroups)) {
		validatePackageGroup(&ps, []string{"package-groups", name}, name, f.PackageGroups[name])
	}
	for _, name := range slices.Sorted(maps.Keys(f.Images)) {
		for i, ch := range f.Images[name].Publish.Channels {
			checkChannel(&ps, []string{"images", name, "publish", "channels", fmt.Sprint(i)}, ch)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(f.TestSuites)) {
		validateTestSuite(&ps, []string{"test-suites", name}, name, f.TestSuites[name])
	}
	checkPackagePublish(&ps, []string{"default-package-config", "publish"}, f.DefaultPackageConfig.Publish)
	return ps
}

// CheckComponentName applies the reference's rule for component names
// (ASCII letters, digits, '.', '-', '_' and '+': a name becomes file names
// and command arguments), and refuses a leading '.' or '-', which would make
// hidden files or look like an option.
func CheckComponentName(name string) error {
	if !safeNamePattern.MatchString(name) || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "-") {
		return fmt.Errorf("invalid component name %q: use ASCII letters, digits, '.', '-', '_' and '+', not starting with '.' or '-' (it names lock files, rendered directories and the macros file)", name)
	}
	return nil
}

func validateComponent(ps *problems, at []string, name string, c *ComponentConfig) {
	if err := CheckComponentName(name); err != nil {
		ps.add(at, "%v", err)
	}
	validateSpecSource(ps, sub(at, "spec"), name, &c.Spec)
	if c.Release.Calculation != "" && !slices.Contains(releaseCalculations, c.Release.Calculation) {
		ps.add(sub(at, "release", "calculation"), "component `%s`: release.calculation %q is not one of %s",
			name, c.Release.Calculation, strings.Join(releaseCalculations, ", "))
	}
	for i := range c.Overlays {
		if field, err := CheckOverlay(&c.Overlays[i]); err != nil {
			ps.add(sub(at, append([]string{"overlays", fmt.Sprint(i)}, strings.Split(field, ".")...)...), "invalid overlay %d for component `%s`: %v", i+1, name, err)
		}
	}
	for i, pat := range c.OverlayFiles {
		if strings.TrimSpace(pat) == "" {
			ps.add(sub(at, "overlay-files", fmt.Sprint(i)), "component `%s`: overlay-files pattern %d is empty", name, i+1)
		}
	}
	if c.Build.Check.Skip && strings.TrimSpace(c.Build.Check.SkipReason) == "" {
		ps.add(sub(at, "build", "check", "skip"), "component `%s`: check.skip_reason is required when check.skip is true", name)
	}
	if c.Build.Failure.Expected && strings.TrimSpace(c.Build.Failure.ExpectedReason) == "" {
		ps.add(sub(at, "build", "failure", "expected"), "component `%s`: failure.expected-reason is required when failure.expected is true", name)
	}
	validateSourceFiles(ps, sub(at, "source-files"), name, c.SourceFiles)
	checkComponentPublish(ps, sub(at, "publish"), c.Publish)
	for _, pkg := range slices.Sorted(maps.Keys(c.Packages)) {
		checkPackagePublish(ps, sub(at, "packages", pkg, "publish"), c.Packages[pkg].Publish)
	}
}

func validateSpecSource(ps *problems, at []string, name string, s *SpecSource) {
	switch s.Type {
	case "", SpecTypeLocal, SpecTypeUpstream:
	default:
		ps.add(sub(at, "type"), "component `%s`: spec.type %q must be \"local\" or \"upstream\"", name, s.Type)
	}
	switch {
	case s.Type == SpecTypeLocal && s.Path == "":
		ps.add(sub(at, "type"), "component `%s`: spec.path is required for a local spec", name)
	case s.Type != SpecTypeLocal && s.Path != "":
		ps.add(sub(at, "path"), "component `%s`: spec.path is only allowed when spec.type is \"local\"", name)
	}
	if s.Type != SpecTypeUpstream {
		if s.UpstreamName != "" {
			ps.add(sub(at, "upstream-name"), "component `%s`: spec.upstream-name requires spec.type = \"upstream\"", name)
		}
		if s.UpstreamCommit != "" {
			ps.add(sub(at, "upstream-commit"), "component `%s`: spec.upstream-commit requires spec.type = \"upstream\"", name)
		}
	}
	if s.UpstreamCommit != "" && !commitid.Valid(s.UpstreamCommit) {
		ps.add(sub(at, "upstream-commit"), "component `%s`: spec.upstream-commit %q must be 7 to 40 hexadecimal characters", name, s.UpstreamCommit)
	}
	if strings.Contains(s.UpstreamName, "$pkg") {
		ps.add(sub(at, "upstream-name"), "component `%s`: spec.upstream-name must not contain `$pkg`", name)
	}
	if s.UpstreamDistro.Snapshot != "" {
		ps.add(sub(at, "upstream-distro", "snapshot"), "component `%s` has a per-component 'snapshot' on 'upstream-distro'; "+
			"snapshots should be set on the distro or group default-component-config, or use 'upstream-commit' to pin a specific commit", name)
	}
}

// CheckOverlay validates one overlay's fields. It returns the offending field's
// key (for positioning) and an error that embeds the overlay's description.
func CheckOverlay(o *ComponentOverlay) (field string, err error) {
	field, msg := overlayProblem(o)
	if msg == "" {
		if o.Metadata != nil {
			if f, err := CheckMetadata(o.Metadata); err != nil {
				return "metadata." + f, err
			}
		}
		return "", nil
	}
	desc := o.Description
	if desc == "" {
		desc = "(no description)"
	}
	return field, fmt.Errorf("%s: %s", msg, desc)
}

// overlayProblem returns the first violated rule of an overlay, or "" when valid.
func overlayProblem(o *ComponentOverlay) (field, msg string) {
	if !slices.Contains(OverlayTypes, o.Type) {
		return "type", fmt.Sprintf("unknown overlay type `%s`", o.Type)
	}
	need := func(f string) string { return fmt.Sprintf("overlay type `%s` requires `%s` field", o.Type, f) }
	if o.Archive != "" {
		if o.Type != OverlayFileRemove && o.Type != OverlayFileSearchReplace {
			return "archive", fmt.Sprintf("overlay type `%s` cannot target an archive", o.Type)
		}
		if compression.CheckName(o.Archive) != nil {
			return "archive", fmt.Sprintf("archive %q must be a plain .tar, .tar.gz, .tgz, .tar.xz, .txz, .tar.zst or .tzst file name", o.Archive)
		}
	}
	switch o.Type {
	case OverlaySpecAddTag, OverlaySpecInsertTag, OverlaySpecSetTag, OverlaySpecUpdateTag, OverlaySpecRemoveTag:
		if o.Tag == "" {
			return "tag", need("tag")
		}
		if o.Value == "" && o.Type != OverlaySpecRemoveTag {
			return "value", need("value")
		}
	case OverlaySpecPrependLines, OverlaySpecAppendLines:
		if len(o.Lines) == 0 {
			return "lines", need("lines")
		}
		return packageNeedsSection(o)
	case OverlaySpecSearchReplace:
		if f, m := regexProblem(o); m != "" {
			return f, m
		}
		return packageNeedsSection(o)
	case OverlaySpecRemoveSection:
		if o.Section == "" {
			return "section", need("section")
		}
	case OverlaySpecRemoveSubpackage:
		if o.Package == "" {
			return "package", need("package")
		}
		if o.Section != "" {
			return "section", fmt.Sprintf("overlay type `%s` does not accept `section`", o.Type)
		}
	case OverlayPatchAdd:
		if o.Source == "" {
			return "source", need("source")
		}
		if o.File != "" {
			return relativeProblem("file", o.File)
		}
	case OverlayPatchRemove, OverlayFilePrependLines, OverlayFileRemove, OverlayFileAdd, OverlayFileRename, OverlayFileSearchReplace:
		return fileOverlayProblem(o, need)
	}
	return "", ""
}

func fileOverlayProblem(o *ComponentOverlay, need func(string) string) (field, msg string) {
	if o.File == "" {
		return "file", need("file")
	}
	if f, m := relativeProblem("file", o.File); m != "" {
		return f, m
	}
	switch o.Type {
	case OverlayFilePrependLines:
		if len(o.Lines) == 0 {
			return "lines", need("lines")
		}
	case OverlayFileAdd:
		if o.Source == "" {
			return "source", need("source")
		}
	case OverlayFileRename:
		if o.Replacement == "" {
			return "replacement", need("replacement")
		}
		if !isSafeFileName(o.Replacement) {
			return "replacement", fmt.Sprintf("`replacement` %q must be a bare file name", o.Replacement)
		}
	case OverlayFileSearchReplace:
		return regexProblem(o)
	}
	return "", ""
}

func regexProblem(o *ComponentOverlay) (field, msg string) {
	if o.Regex == "" {
		return "regex", fmt.Sprintf("overlay type `%s` requires `regex` field", o.Type)
	}
	if _, err := regexp.Compile(o.Regex); err != nil {
		return "regex", fmt.Sprintf("invalid regex `%s`: %v", o.Regex, err)
	}
	return "", ""
}

func packageNeedsSection(o *ComponentOverlay) (field, msg string) {
	if o.Package != "" && o.Section == "" {
		return "package", fmt.Sprintf("overlay type `%s` requires `section` when `package` is set", o.Type)
	}
	return "", ""
}

// relativeProblem rejects absolute paths and paths that climb out of their root.
func relativeProblem(field, p string) (string, string) {
	if safepath.ValidateRelative(p) != nil {
		return field, fmt.Sprintf("`%s` %q must be a relative path inside the sources directory", field, p)
	}
	return "", ""
}

// isSafeFileName reports whether s is a bare file name (no separators, not . or ..).
func isSafeFileName(s string) bool { return safepath.CheckFileName(s) == nil }

// CheckMetadata validates overlay or group metadata; it returns the offending field.
func CheckMetadata(m *OverlayMetadata) (field string, err error) {
	switch {
	case m.Category == "":
		return "category", fmt.Errorf("metadata category is required (one of %s)", strings.Join(metadataCategories, ", "))
	case !slices.Contains(metadataCategories, m.Category):
		return "category", fmt.Errorf("metadata category %q is not one of %s", m.Category, strings.Join(metadataCategories, ", "))
	case m.Category == "upstream-backport" && len(m.Commits) == 0:
		return "commits", fmt.Errorf("metadata category `upstream-backport` requires at least one commit URL")
	case m.UpstreamStatus == "":
		return "upstream-status", fmt.Errorf("metadata upstream-status is required (one of %s)", strings.Join(upstreamStatuses, ", "))
	case !slices.Contains(upstreamStatuses, m.UpstreamStatus):
		return "upstream-status", fmt.Errorf("metadata upstream-status %q is not one of %s", m.UpstreamStatus, strings.Join(upstreamStatuses, ", "))
	case m.Category == "upstream-backport" && m.UpstreamStatus != "upstreamed" && m.UpstreamStatus != "upstreamable":
		return "upstream-status", fmt.Errorf("metadata upstream-status %q is not allowed for an upstream backport (upstreamed or upstreamable)", m.UpstreamStatus)
	}
	for _, refs := range []struct {
		key  string
		list []URLRef
	}{{"commits", m.Commits}, {"bugs", m.Bugs}} {
		for _, r := range refs.list {
			if !httpURLPattern.MatchString(r.URL) {
				return refs.key, fmt.Errorf("metadata %s URL %q is not an http(s) URL", refs.key, r.URL)
			}
		}
	}
	return "", nil
}

func validateSourceFiles(ps *problems, at []string, comp string, refs []SourceFileReference) {
	seen := map[string]bool{}
	for i := range refs {
		r := &refs[i]
		here := sub(at, fmt.Sprint(i))
		if field, msg := sourceFileProblem(r); msg != "" {
			ps.add(sub(here, field), "component `%s`: source-files entry %d (%q): %s", comp, i+1, r.Filename, msg)
		} else if seen[r.Filename] {
			ps.add(sub(here, "filename"), "component `%s`: source-files entry %d: duplicate filename %q", comp, i+1, r.Filename)
		}
		seen[r.Filename] = true
	}
}

func sourceFileProblem(r *SourceFileReference) (field, msg string) {
	o := &r.Origin
	custom := o.Type == OriginCustom
	switch {
	case !isSafeFileName(r.Filename):
		return "filename", "filename must be a bare file name"
	case r.HashType != "" && !slices.Contains(hashTypes, r.HashType):
		return "hash-type", fmt.Sprintf("hash-type %q must be SHA256 or SHA512", r.HashType)
	case r.Hash != "" && r.HashType == "":
		return "hash", "hash requires hash-type"
	case o.Type == "":
		return "origin", "origin.type is required (download, custom or overlay)"
	case !slices.Contains(originTypes, o.Type):
		return "origin", fmt.Sprintf("origin.type %q must be download, custom or overlay", o.Type)
	case o.Type == OriginDownload && !schemePattern.MatchString(o.URI):
		return "origin", "a download origin needs a uri with a scheme"
	case custom && !isSafeFileName(o.Script):
		return "origin", "a custom origin needs a script file name"
	case custom && o.URI != "":
		return "origin", "a custom origin takes no uri"
	case !custom && (o.Script != "" || len(o.MockPackages) > 0 || len(o.Inputs) > 0):
		return "origin", "script, mock-packages and inputs are only for custom origins"
	case o.Type == OriginOverlay && o.URI != "":
		return "origin", "an overlay origin takes no uri"
	case o.Type == OriginOverlay && !r.ReplaceUpstream:
		return "replace-upstream", "an overlay origin requires replace-upstream = true"
	case r.ReplaceUpstream && strings.TrimSpace(r.ReplaceReason) == "":
		return "replace-reason", "replace-upstream requires a replace-reason"
	case !r.ReplaceUpstream && r.ReplaceReason != "":
		return "replace-reason", "replace-reason requires replace-upstream = true"
	}
	if custom {
		return customInputsProblem(o)
	}
	return "", ""
}

func customInputsProblem(o *Origin) (field, msg string) {
	seen := map[string]bool{}
	for _, in := range o.Inputs {
		if !isSafeFileName(in) || in == o.Script || seen[in] {
			return "origin", fmt.Sprintf("input %q must be a unique bare file name other than the script", in)
		}
		seen[in] = true
	}
	return "", ""
}

func validateGroup(ps *problems, at []string, name string, g *ComponentGroup) {
	if g.Metadata != nil {
		if field, err := CheckMetadata(g.Metadata); err != nil {
			ps.add(sub(at, "metadata", field), "component group `%s`: %v", name, err)
		}
	}
	for i, s := range g.Specs {
		if strings.TrimSpace(s) == "" {
			ps.add(sub(at, "specs", fmt.Sprint(i)), "component group `%s`: specs pattern %d is empty", name, i+1)
		}
	}
}

func validatePackageGroup(ps *problems, at []string, name string, g *PackageGroup) {
	seen := make(map[string]struct{}, len(g.Packages))
	for i, p := range g.Packages {
		switch {
		case strings.TrimSpace(p) == "":
			ps.add(sub(at, "packages", fmt.Sprint(i)), "package group `%s`: package name %d is empty", name, i+1)
		default:
			if _, dup := seen[p]; dup {
				ps.add(sub(at, "packages", fmt.Sprint(i)), "package group `%s`: package `%s` is listed twice", name, p)
			}
		}
		seen[p] = struct{}{}
	}
	checkPackagePublish(ps, sub(at, "default-package-config", "publish"), g.DefaultPackageConfig.Publish)
}

func validateTestSuite(ps *problems, at []string, name string, t *TestSuiteConfig) {
	if !isSafeFileName(name) || !safeNamePattern.MatchString(name) {
		ps.add(at, "test suite `%s`: the name must be a safe file name", name)
	}
	switch t.Type {
	case "pytest":
		validatePytest(ps, at, name, t)
	case "lisa":
		validateLisa(ps, at, name, t)
	default:
		ps.add(sub(at, "type"), "test suite `%s`: type %q must be pytest or lisa", name, t.Type)
	}
}

func validatePytest(ps *problems, at []string, name string, t *TestSuiteConfig) {
	switch {
	case t.Pytest == nil:
		ps.add(at, "test suite `%s`: a pytest suite needs a [pytest] table", name)
	case t.Lisa != nil:
		ps.add(sub(at, "lisa"), "test suite `%s`: a pytest suite takes no [lisa] table", name)
	case t.Pytest.Install != "" && !slices.Contains([]string{"pyproject", "requirements", "none"}, t.Pytest.Install):
		ps.add(sub(at, "pytest", "install"), "test suite `%s`: install %q must be pyproject, requirements or none", name, t.Pytest.Install)
	case t.Pytest.Install != "none" && t.Pytest.WorkingDir == "":
		ps.add(sub(at, "pytest"), "test suite `%s`: pytest.working-dir is required unless install = \"none\"", name)
	}
}

func validateLisa(ps *problems, at []string, name string, t *TestSuiteConfig) {
	switch {
	case t.Pytest != nil:
		ps.add(sub(at, "pytest"), "test suite `%s`: a lisa suite takes no [pytest] table", name)
	case t.Lisa == nil:
	case t.Lisa.Framework.GitURL == "":
		ps.add(sub(at, "lisa", "framework"), "test suite `%s`: lisa.framework.git-url is required", name)
	case !fullHexPattern.MatchString(t.Lisa.Framework.Ref):
		ps.add(sub(at, "lisa", "framework", "ref"), "test suite `%s`: lisa.framework.ref must be a full 40-character commit hash", name)
	case len(t.Lisa.TestCases) == 0:
		ps.add(sub(at, "lisa"), "test suite `%s`: lisa.test-cases must not be empty", name)
	}
}

func checkComponentPublish(ps *problems, at []string, p ComponentPublishConfig) {
	checkChannel(ps, sub(at, "rpm-channel"), p.RPMChannel)
	checkChannel(ps, sub(at, "srpm-channel"), p.SRPMChannel)
	checkChannel(ps, sub(at, "debuginfo-channel"), p.DebuginfoChannel)
}

func checkPackagePublish(ps *problems, at []string, p PackagePublishConfig) {
	checkChannel(ps, sub(at, "rpm-channel"), p.RPMChannel)
	checkChannel(ps, sub(at, "debuginfo-channel"), p.DebuginfoChannel)
	checkChannel(ps, sub(at, "channel"), p.Channel)
}

func checkChannel(ps *problems, at []string, ch string) {
	if ch == "." || ch == ".." || strings.ContainsAny(ch, "/\\") {
		ps.add(at, "publish channel %q must not be . or .. nor contain a path separator", ch)
	}
}

// validateMerged applies the rules that need the whole merged configuration.
func validateMerged(c *Config) error {
	var errs Errors
	for _, g := range slices.Sorted(maps.Keys(c.ComponentGroups)) {
		for _, m := range c.ComponentGroups[g].Components {
			if _, ok := c.Components[m]; !ok {
				errs = append(errs, c.locatedf(c.GroupFiles[g], []string{"component-groups", g, "components"},
					"undefined component reference: component group `%s` references component `%s`, which is not defined in [components]", g, m))
			}
		}
	}
	total := 0
	for _, g := range c.PackageGroups {
		total += len(g.Packages)
	}
	owner := make(map[string]string, total)
	for _, g := range slices.Sorted(maps.Keys(c.PackageGroups)) {
		for _, p := range c.PackageGroups[g].Packages {
			if prev, ok := owner[p]; ok {
				errs = append(errs, c.locatedf(c.PackageFiles[g], []string{"package-groups", g, "packages"},
					"package `%s` is listed in both package groups `%s` and `%s`", p, prev, g))
			}
			owner[p] = g
		}
	}
	for _, name := range slices.Sorted(maps.Keys(c.Images)) {
		for _, ts := range c.Images[name].Tests.TestSuites {
			if _, ok := c.TestSuites[ts.Name]; !ok {
				errs = append(errs, c.locatedf(c.ImageFiles[name], []string{"images", name, "tests"},
					"image `%s` references undefined test suite `%s`", name, ts.Name))
			}
		}
	}
	errs = append(errs, validateDistroRefs(c)...)
	return errs.errOrNil()
}

// validateDistroRefs checks that the project's default distro and every version it names exist.
func validateDistroRefs(c *Config) Errors {
	ref := c.Project.DefaultDistro
	if ref.Name == "" {
		return nil
	}
	at := []string{"project", "default-distro"}
	d, ok := c.Distros[ref.Name]
	if !ok {
		return Errors{c.locatedf(c.DistroFile, at, "project default-distro references undefined distro `%s` (defined: %s)",
			ref.Name, strings.Join(slices.Sorted(maps.Keys(c.Distros)), ", "))}
	}
	v := ref.Version
	if v == "" {
		v = d.DefaultVersion
	}
	if _, ok := d.Versions[v]; v != "" && !ok {
		return Errors{c.locatedf(c.DistroFile, at, "project default-distro references undefined version `%s` of distro `%s`", v, ref.Name)}
	}
	return nil
}
