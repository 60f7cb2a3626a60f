package fingerprint

import (
	"encoding/binary"

	"github.com/azlforge/azldev/internal/config"
)

// This file computes the config hash: a structural 64-bit hash of a resolved
// component configuration that matches, value for value, the one the
// reference implementation stores in lock files (it used the
// "hashstructure v2" scheme over its own Go types). The scheme:
//
//   - every leaf is hashed with 64-bit FNV-1 (not FNV-1a): strings over their
//     UTF-8 bytes, booleans over a single 0/1 byte;
//   - combine(a, b) is FNV-1 over little-endian a then b; finish(a) is FNV-1
//     over little-endian a;
//   - a list folds its elements into 0 with combine, so nil and empty lists
//     both hash to 0;
//   - a map XORs combine(key, value) over its entries and finishes the result,
//     so an empty or absent map hashes to finish(0);
//   - a record starts from the hash of its (reference) type name and, for each
//     included field in order, becomes finish(h XOR combine(name, value)).
//
// Type and field names are those of the reference, not of package config
// (e.g. SpecSource.SourceType for config.SpecSource.Type). Fields that do not
// affect the build output (descriptions, metadata, paths, publish settings,
// ...) are not included, and a few are included only when set.

const (
	fnvOffset64 = 14695981039346656037
	fnvPrime64  = 1099511628211
)

// fnv1 returns the 64-bit FNV-1 hash of b.
func fnv1(b []byte) uint64 {
	h := uint64(fnvOffset64)
	for _, c := range b {
		h *= fnvPrime64
		h ^= uint64(c)
	}
	return h
}

func hashString(s string) uint64 {
	h := uint64(fnvOffset64)
	for i := 0; i < len(s); i++ {
		h *= fnvPrime64
		h ^= uint64(s[i])
	}
	return h
}

func hashBool(v bool) uint64 {
	if v {
		return fnv1([]byte{1})
	}
	return fnv1([]byte{0})
}

// combine is the order-sensitive mix of two hashes.
func combine(a, b uint64) uint64 {
	var buf [16]byte
	binary.LittleEndian.PutUint64(buf[:8], a)
	binary.LittleEndian.PutUint64(buf[8:], b)
	return fnv1(buf[:])
}

// finish rehashes an XOR accumulator.
func finish(a uint64) uint64 {
	var buf [8]byte
	binary.LittleEndian.PutUint64(buf[:], a)
	return fnv1(buf[:])
}

// hashList hashes an ordered list whose elements hash with elem.
func hashList[T any](items []T, elem func(*T) uint64) uint64 {
	var h uint64
	for i := range items {
		h = combine(h, elem(&items[i]))
	}
	return h
}

func hashStrings(items []string) uint64 {
	return hashList(items, func(s *string) uint64 { return hashString(*s) })
}

// hashMap hashes a map with string keys independently of iteration order.
func hashMap[V any](m map[string]V, value func(V) uint64) uint64 {
	var x uint64
	for k, v := range m {
		x ^= combine(hashString(k), value(v))
	}
	return finish(x)
}

// record accumulates the hash of one struct value.
type record struct{ h uint64 }

func newRecord(typeName string) record { return record{h: hashString(typeName)} }

// field mixes in one included field.
func (r *record) field(name string, value uint64) {
	r.h = finish(r.h ^ combine(hashString(name), value))
}

// fieldIf mixes in a conditionally included field.
func (r *record) fieldIf(include bool, name string, value func() uint64) {
	if include {
		r.field(name, value())
	}
}

// ConfigHash returns the structural hash of a resolved component
// configuration, the `config_hash` input of the input fingerprint.
func ConfigHash(c *config.ComponentConfig) uint64 {
	r := newRecord("ComponentConfig")
	r.field("Spec", hashSpec(&c.Spec))
	r.field("Release", hashRelease(&c.Release))
	r.field("Overlays", hashList(c.Overlays, hashOverlay))
	r.field("Build", hashBuild(&c.Build))
	r.field("Render", hashRender(&c.Render))
	r.field("SourceFiles", hashList(c.SourceFiles, hashSourceFile))
	r.field("Packages", hashMap(c.Packages, hashPackage))
	return r.h
}

func hashSpec(s *config.SpecSource) uint64 {
	r := newRecord("SpecSource")
	r.field("SourceType", hashString(s.Type))
	r.field("UpstreamDistro", hashDistroRef(&s.UpstreamDistro))
	r.field("UpstreamName", hashString(s.UpstreamName))
	r.field("UpstreamCommit", hashString(s.UpstreamCommit))
	return r.h
}

func hashDistroRef(d *config.DistroReference) uint64 {
	r := newRecord("DistroReference")
	r.field("Name", hashString(d.Name))
	r.field("Version", hashString(d.Version))
	return r.h
}

func hashRelease(rc *config.ReleaseConfig) uint64 {
	r := newRecord("ReleaseConfig")
	r.field("Calculation", hashString(rc.Calculation))
	return r.h
}

func hashOverlay(o *config.ComponentOverlay) uint64 {
	r := newRecord("ComponentOverlay")
	r.field("Type", hashString(o.Type))
	r.field("Filename", hashString(o.File))
	r.fieldIf(o.Archive != "", "Archive", func() uint64 { return hashString(o.Archive) })
	r.field("SectionName", hashString(o.Section))
	r.field("PackageName", hashString(o.Package))
	r.field("Tag", hashString(o.Tag))
	r.field("Value", hashString(o.Value))
	r.field("Regex", hashString(o.Regex))
	r.field("Replacement", hashString(o.Replacement))
	r.field("Lines", hashStrings(o.Lines))
	return r.h
}

func hashBuild(b *config.ComponentBuildConfig) uint64 {
	r := newRecord("ComponentBuildConfig")
	r.field("With", hashStrings(b.With))
	r.field("Without", hashStrings(b.Without))
	r.field("Defines", hashMap(b.Defines, hashString))
	r.field("Undefines", hashStrings(b.Undefines))
	r.fieldIf(b.EmitUpstreamProvenance, "EmitUpstreamProvenance", func() uint64 { return hashBool(true) })
	r.field("Check", hashCheck(&b.Check))
	return r.h
}

func hashCheck(c *config.CheckConfig) uint64 {
	r := newRecord("CheckConfig")
	r.field("Skip", hashBool(c.Skip))
	return r.h
}

func hashRender(rc *config.ComponentRenderConfig) uint64 {
	r := newRecord("ComponentRenderConfig")
	r.field("SkipFileFilter", hashBool(rc.SkipFileFilter))
	return r.h
}

func hashSourceFile(s *config.SourceFileReference) uint64 {
	r := newRecord("SourceFileReference")
	r.field("Filename", hashString(s.Filename))
	r.field("Hash", hashString(s.Hash))
	r.field("HashType", hashString(s.HashType))
	o := &s.Origin
	r.fieldIf(o.Script != "" || len(o.MockPackages) > 0 || len(o.Inputs) > 0, "Origin",
		func() uint64 { return hashOrigin(o) })
	r.field("ReplaceUpstream", hashBool(s.ReplaceUpstream))
	return r.h
}

func hashOrigin(o *config.Origin) uint64 {
	r := newRecord("Origin")
	r.fieldIf(o.Script != "", "Script", func() uint64 { return hashString(o.Script) })
	r.fieldIf(len(o.MockPackages) > 0, "MockPackages", func() uint64 { return hashStrings(o.MockPackages) })
	r.fieldIf(len(o.Inputs) > 0, "Inputs", func() uint64 { return hashStrings(o.Inputs) })
	return r.h
}

// hashPackage hashes a per-package setting. None of PackageConfig's fields
// (publish channels) affect the build, so every value hashes alike, nil included.
func hashPackage(*config.PackageConfig) uint64 { return hashString("PackageConfig") }
