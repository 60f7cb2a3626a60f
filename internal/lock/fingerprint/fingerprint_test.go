package fingerprint

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/azlforge/azldev/internal/config"
)

// vectorConfig is the component of the reference's published test vector.
func vectorConfig() *config.ComponentConfig {
	return &config.ComponentConfig{
		Spec: config.SpecSource{
			Type:           config.SpecTypeUpstream,
			UpstreamDistro: config.DistroReference{Name: "fedora", Version: "43"},
		},
		Release:  config.ReleaseConfig{Calculation: "auto"},
		Overlays: []config.ComponentOverlay{{Type: "spec-add-tag", Tag: "BuildRequires", Value: "gcc"}},
	}
}

func TestReferenceVectors(t *testing.T) {
	c := vectorConfig()
	if got := ConfigHash(c); got != 16572573304519066695 {
		t.Errorf("config hash %d, want 16572573304519066695", got)
	}
	fp, err := InputFingerprint(Inputs{Config: c, SourceIdentity: "093caa8464015cbb3768859de96cbe34d6780d30", ReleaseVer: "43"})
	if err != nil {
		t.Fatal(err)
	}
	if want := "sha256:6b0e7f653e6ca72ac87792a9209e8b1ac16296c704ebb8203ecf1e0a09f2ac7b"; fp != want {
		t.Errorf("fingerprint %s, want %s", fp, want)
	}
	rh := ResolutionInputHash(ResolutionInputs{
		Snapshot:       "2026-02-24T00:00:00-08:00",
		DistroName:     "fedora",
		DistroVersion:  "43",
		DistGitBranch:  "f43",
		DistGitBaseURI: "https://src.fedoraproject.org/rpms/$pkg.git",
	})
	if want := "sha256:466421704711c4fd3c71f0b2ed715a0e61d49e3e26f3a2637fee755795849c8e"; rh != want {
		t.Errorf("resolution hash %s, want %s", rh, want)
	}
}

func TestFNV1Primitives(t *testing.T) {
	// Published FNV-1 64 test values (not FNV-1a).
	if got := hashString(""); got != 0xcbf29ce484222325 {
		t.Errorf("fnv1(\"\") = %#x", got)
	}
	if got := hashString("a"); got != 0xaf63bd4c8601b7be {
		t.Errorf("fnv1(\"a\") = %#x", got)
	}
	if got, want := hashString("foobar"), fnv1([]byte("foobar")); got != want || got != 0x340d8765a4dda9c2 {
		t.Errorf("fnv1(\"foobar\") = %#x / %#x", got, want)
	}
}

func TestEmptyCollectionsHashAlike(t *testing.T) {
	base := vectorConfig()
	h := ConfigHash(base)

	same := vectorConfig()
	same.Overlays[0].Lines = []string{} // empty and nil lists both hash as 0
	same.Build.Defines = map[string]string{}
	same.Packages = map[string]*config.PackageConfig{}
	same.SourceFiles = []config.SourceFileReference{}
	if ConfigHash(same) != h {
		t.Error("empty collections hash differently from absent ones")
	}
}

// TestExcludedFieldsDoNotCount changes only fields the reference leaves out.
func TestExcludedFieldsDoNotCount(t *testing.T) {
	h := ConfigHash(vectorConfig())
	edits := map[string]func(c *config.ComponentConfig){
		"spec path":       func(c *config.ComponentConfig) { c.Spec.Path = "/x/y.spec" },
		"snapshot":        func(c *config.ComponentConfig) { c.Spec.UpstreamDistro.Snapshot = "2026-01-01T00:00:00Z" },
		"overlay-files":   func(c *config.ComponentConfig) { c.OverlayFiles = []string{"*.toml"} },
		"publish":         func(c *config.ComponentConfig) { c.Publish.RPMChannel = "base" },
		"description":     func(c *config.ComponentConfig) { c.Overlays[0].Description = "why" },
		"overlay source":  func(c *config.ComponentConfig) { c.Overlays[0].Source = "/a/b" },
		"overlay meta":    func(c *config.ComponentConfig) { c.Overlays[0].Metadata = &config.OverlayMetadata{Category: "x"} },
		"skip reason":     func(c *config.ComponentConfig) { c.Build.Check.SkipReason = "flaky" },
		"failure":         func(c *config.ComponentConfig) { c.Build.Failure.Expected = true },
		"hints":           func(c *config.ComponentConfig) { c.Build.Hints.Expensive = true },
		"provenance off":  func(c *config.ComponentConfig) { c.Build.EmitUpstreamProvenance = false },
		"package publish": nil, // checked below: package values never count
	}
	for name, edit := range edits {
		if edit == nil {
			continue
		}
		c := vectorConfig()
		edit(c)
		if ConfigHash(c) != h {
			t.Errorf("%s changed the hash", name)
		}
	}
	a, b := vectorConfig(), vectorConfig()
	a.Packages = map[string]*config.PackageConfig{"p": {Publish: config.PackagePublishConfig{RPMChannel: "x"}}}
	b.Packages = map[string]*config.PackageConfig{"p": nil}
	if ConfigHash(a) != ConfigHash(b) {
		t.Error("package settings changed the hash")
	}
}

// TestIncludedFieldsCount changes each included field once; all results must differ.
func TestIncludedFieldsCount(t *testing.T) {
	edits := []func(c *config.ComponentConfig){
		func(c *config.ComponentConfig) { c.Spec.Type = config.SpecTypeLocal },
		func(c *config.ComponentConfig) { c.Spec.UpstreamDistro.Name = "f" },
		func(c *config.ComponentConfig) { c.Spec.UpstreamDistro.Version = "44" },
		func(c *config.ComponentConfig) { c.Spec.UpstreamName = "n" },
		func(c *config.ComponentConfig) { c.Spec.UpstreamCommit = "abc" },
		func(c *config.ComponentConfig) { c.Release.Calculation = "static" },
		func(c *config.ComponentConfig) { c.Overlays = nil },
		func(c *config.ComponentConfig) { c.Overlays[0].Type = "spec-set-tag" },
		func(c *config.ComponentConfig) { c.Overlays[0].File = "f" },
		func(c *config.ComponentConfig) { c.Overlays[0].Archive = "a.tar" },
		func(c *config.ComponentConfig) { c.Overlays[0].Section = "%build" },
		func(c *config.ComponentConfig) { c.Overlays[0].Package = "devel" },
		func(c *config.ComponentConfig) { c.Overlays[0].Tag = "Requires" },
		func(c *config.ComponentConfig) { c.Overlays[0].Value = "make" },
		func(c *config.ComponentConfig) { c.Overlays[0].Regex = "x" },
		func(c *config.ComponentConfig) { c.Overlays[0].Replacement = "y" },
		func(c *config.ComponentConfig) { c.Overlays[0].Lines = []string{""} },
		func(c *config.ComponentConfig) { c.Build.With = []string{"x"} },
		func(c *config.ComponentConfig) { c.Build.Without = []string{"x"} },
		func(c *config.ComponentConfig) { c.Build.Defines = map[string]string{"x": ""} },
		func(c *config.ComponentConfig) { c.Build.Defines = map[string]string{"x": "1"} },
		func(c *config.ComponentConfig) { c.Build.Undefines = []string{"x"} },
		func(c *config.ComponentConfig) { c.Build.EmitUpstreamProvenance = true },
		func(c *config.ComponentConfig) { c.Build.Check.Skip = true },
		func(c *config.ComponentConfig) { c.Render.SkipFileFilter = true },
		func(c *config.ComponentConfig) { c.SourceFiles = []config.SourceFileReference{{Filename: "a"}} },
		func(c *config.ComponentConfig) {
			c.SourceFiles = []config.SourceFileReference{{Filename: "a", Origin: config.Origin{Script: "s"}}}
		},
		func(c *config.ComponentConfig) { c.Packages = map[string]*config.PackageConfig{"p": nil} },
		func(c *config.ComponentConfig) { c.Packages = map[string]*config.PackageConfig{"q": nil} },
	}
	seen := map[uint64]int{ConfigHash(vectorConfig()): -1}
	for i, edit := range edits {
		c := vectorConfig()
		edit(c)
		h := ConfigHash(c)
		if prev, dup := seen[h]; dup {
			t.Errorf("edit %d hashes like edit %d", i, prev)
		}
		seen[h] = i
	}
}

func TestListOrderMattersMapOrderDoesNot(t *testing.T) {
	a, b := vectorConfig(), vectorConfig()
	a.Build.With = []string{"x", "y"}
	b.Build.With = []string{"y", "x"}
	if ConfigHash(a) == ConfigHash(b) {
		t.Error("list order ignored")
	}
	a, b = vectorConfig(), vectorConfig()
	a.Build.Defines = map[string]string{"a": "1", "b": "2", "c": "3"}
	b.Build.Defines = map[string]string{"c": "3", "b": "2", "a": "1"}
	for range 20 { // map iteration order is random
		if ConfigHash(a) != ConfigHash(b) {
			t.Fatal("map hash depends on iteration order")
		}
	}
}

func TestOriginTypeAndURIAloneDoNotCount(t *testing.T) {
	a, b := vectorConfig(), vectorConfig()
	a.SourceFiles = []config.SourceFileReference{{Filename: "f", Hash: "h"}}
	b.SourceFiles = []config.SourceFileReference{{Filename: "f", Hash: "h",
		Origin: config.Origin{Type: config.OriginDownload, URI: "https://x/f"}, ReplaceReason: "r"}}
	if ConfigHash(a) != ConfigHash(b) {
		t.Error("origin type/uri or replace reason changed the hash")
	}
}

func TestStructHashMatchesModel(t *testing.T) {
	// Spot-check the record rule on the smallest records by spelling it out.
	want := finish(hashString("CheckConfig") ^ combine(hashString("Skip"), fnv1([]byte{1})))
	if got := hashCheck(&config.CheckConfig{Skip: true, SkipReason: "r"}); got != want {
		t.Errorf("CheckConfig: %d, want %d", got, want)
	}
	if got := hashPackage(nil); got != hashString("PackageConfig") {
		t.Errorf("PackageConfig: %d", got)
	}
	m := map[string]string{"k": "v"}
	if got, want := hashMap(m, hashString), finish(combine(hashString("k"), hashString("v"))); got != want {
		t.Errorf("map: %d, want %d", got, want)
	}
	if got := hashStrings(nil); got != 0 {
		t.Errorf("empty list: %d", got)
	}
}

func TestInputFingerprintErrors(t *testing.T) {
	c := vectorConfig()
	if _, err := InputFingerprint(Inputs{Config: c}); !errors.Is(err, ErrNoSourceIdentity) {
		t.Errorf("missing identity: %v", err)
	}
	c.Spec.Type = ""
	if _, err := InputFingerprint(Inputs{Config: c}); err != nil {
		t.Errorf("no spec type, no identity: %v", err)
	}
	c.SourceFiles = []config.SourceFileReference{{Filename: "a.tar.gz", Hash: "h"}, {Filename: "b.tar.gz"}}
	_, err := InputFingerprint(Inputs{Config: c})
	if !errors.Is(err, ErrMissingHash) || !strings.Contains(err.Error(), "b.tar.gz") {
		t.Errorf("missing hash: %v", err)
	}
	c.SourceFiles = nil
	c.Overlays = []config.ComponentOverlay{{Type: "file-add", Source: filepath.Join(t.TempDir(), "missing")}}
	if _, err := InputFingerprint(Inputs{Config: c}); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing overlay source: %v", err)
	}
}

func TestRecordFormat(t *testing.T) {
	var b strings.Builder
	writeRecord(&b, "release_ver", "43")
	writeRecord(&b, "source_identity", "")
	writeRecord(&b, "x", "ü")
	if got, want := b.String(), "11:release_ver=2:43\n15:source_identity=0:\n1:x=2:ü\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestOverlayRecords checks names, hashes and the string order of labels.
func TestOverlayRecords(t *testing.T) {
	dir := t.TempDir()
	var overlays []config.ComponentOverlay
	for i := range 12 {
		o := config.ComponentOverlay{Type: "spec-add-tag", Tag: "T", Value: "v"}
		if i == 2 || i == 10 || i == 11 {
			o.Type = "file-add"
			o.Source = filepath.Join(dir, "src"+strconv.Itoa(i)+".txt")
			if err := os.WriteFile(o.Source, []byte("hello\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if i == 11 {
			o.File = "renamed.txt"
		}
		overlays = append(overlays, o)
	}
	recs, err := overlayRecords(overlays)
	if err != nil {
		t.Fatal(err)
	}
	const helloSHA = "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03"
	want := []labeled{
		{"overlay:10", "src10.txt:" + helloSHA},
		{"overlay:11", "renamed.txt:" + helloSHA},
		{"overlay:2", "src2.txt:" + helloSHA},
	}
	if len(recs) != len(want) {
		t.Fatalf("got %v", recs)
	}
	for i := range want {
		if recs[i] != want[i] {
			t.Errorf("record %d: %v, want %v", i, recs[i], want[i])
		}
	}

	// The overlay source content is part of the fingerprint.
	in := Inputs{Config: &config.ComponentConfig{Overlays: overlays}}
	before, err := InputFingerprint(in)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(overlays[2].Source, []byte("changed\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	after, err := InputFingerprint(in)
	if err != nil {
		t.Fatal(err)
	}
	if before == after {
		t.Error("overlay source content does not count")
	}
}

func TestFingerprintInputsEachCount(t *testing.T) {
	base := Inputs{Config: vectorConfig(), SourceIdentity: "abc", ReleaseVer: "43"}
	variants := []Inputs{base, base, base, base}
	variants[1].SourceIdentity = "abd"
	variants[2].ManualBump = 1
	variants[3].ReleaseVer = "44"
	seen := map[string]bool{}
	for _, in := range variants {
		fp, err := InputFingerprint(in)
		if err != nil {
			t.Fatal(err)
		}
		if seen[fp] {
			t.Errorf("duplicate fingerprint for %+v", in)
		}
		seen[fp] = true
	}
}
