package prepare

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/azlforge/azldev/internal/config"
	"github.com/azlforge/azldev/internal/foundation/atomicfile"
	"github.com/azlforge/azldev/internal/resolve"
	"github.com/azlforge/azldev/internal/source/sourcesfile"
)

// defaultHashType is used for hashes computed under --allow-no-hashes.
const defaultHashType = "SHA512"

// checkArchiveOrigins enforces the pairing of archive overlays with
// overlay-origin source-files entries, and keeps loose-file overlays away from
// the archives those overlays rewrite.
func checkArchiveOrigins(comp *resolve.Component, allowNoHashes bool) error {
	archives := map[string]bool{}
	for _, o := range comp.Config.Overlays {
		if o.IsArchiveScoped() {
			archives[o.Archive] = true
		}
	}
	origins := map[string]bool{}
	for _, sf := range comp.Config.SourceFiles {
		if sf.Origin.Type == config.OriginOverlay {
			origins[sf.Filename] = true
			if !archives[sf.Filename] {
				return fmt.Errorf("component `%s`: source-files entry %q has origin \"overlay\" but no archive overlay modifies it", comp.Name, sf.Filename)
			}
		}
	}
	for a := range archives {
		if !origins[a] && !allowNoHashes {
			return fmt.Errorf("component `%s`: archive %q is modified by an overlay but has no source-files entry with origin \"overlay\" pinning its new hash (or pass --allow-no-hashes)", comp.Name, a)
		}
	}
	for i, o := range comp.Config.Overlays {
		if o.IsArchiveScoped() {
			continue
		}
		if name := looseTouches(&o, archives); name != "" {
			return fmt.Errorf("component `%s`: overlay %d (%s) would touch archive %q, which archive overlays rewrite", comp.Name, i+1, o.Type, name)
		}
	}
	return nil
}

// looseTouches returns the archive a loose-file overlay could change, or "".
func looseTouches(o *config.ComponentOverlay, archives map[string]bool) string {
	var candidates []string
	switch o.Type {
	case config.OverlayFileAdd, config.OverlayFileRename:
		candidates = []string{o.File, o.Replacement}
	case config.OverlayPatchAdd:
		candidates = []string{o.File, filepath.Base(o.Source)}
	case config.OverlayFilePrependLines, config.OverlayFileSearchReplace, config.OverlayFileRemove, config.OverlayPatchRemove:
		for _, a := range slices.Sorted(maps.Keys(archives)) {
			// The same glob semantics as the overlay itself (doublestar, so ** too).
			if ok, _ := doublestar.Match(o.File, a); ok {
				return a
			}
		}
	}
	for _, c := range candidates {
		if archives[c] {
			return c
		}
	}
	return ""
}

// updateSources rewrites the sources file for source-files entries and repacked archives.
func updateSources(comp *resolve.Component, dir string, repacked []string, opts Options) error {
	if len(comp.Config.SourceFiles) == 0 && len(repacked) == 0 {
		return nil
	}
	path := filepath.Join(dir, sourcesfile.FileName)
	file, err := readSources(path)
	if err != nil {
		return fmt.Errorf("component `%s`: %w", comp.Name, err)
	}
	upstream := map[string]bool{}
	for _, e := range file.Entries() {
		upstream[e.Filename] = true
	}
	if err := rehashRepacked(comp, dir, file, repacked, opts); err != nil {
		return err
	}
	for _, sf := range comp.Config.SourceFiles {
		if sf.Origin.Type == config.OriginOverlay && slices.Contains(repacked, sf.Filename) {
			continue // rehashed and verified above
		}
		if err := applySourceFile(comp, dir, file, upstream, sf, opts); err != nil {
			return err
		}
	}
	return atomicfile.Replace(path, file.Bytes(), 0o644)
}

func readSources(path string) (*sourcesfile.File, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return sourcesfile.Parse(nil)
	}
	if err != nil {
		return nil, err
	}
	return sourcesfile.Parse(data)
}

// rehashRepacked records the new hash of every archive an overlay rewrote.
func rehashRepacked(comp *resolve.Component, dir string, file *sourcesfile.File, repacked []string, opts Options) error {
	for _, name := range repacked {
		entry, ok := file.Lookup(name)
		if !ok {
			return fmt.Errorf("component `%s`: archive %q was modified by an overlay but is not listed in the sources file", comp.Name, name)
		}
		hashType := entry.HashType
		sf := sourceFileNamed(comp, name)
		if sf != nil {
			hashType = sf.HashType
			if hashType == "" {
				hashType = defaultHashType
			}
		}
		sum, err := sourcesfile.HashFile(filepath.Join(dir, name), hashType)
		if err != nil {
			return err
		}
		if sf != nil && sf.Hash != "" && sf.Hash != sum {
			return fmt.Errorf("component `%s`: archive %q after overlays does not match its pinned hash\n  stated:   %s %s\n  computed: %s %s",
				comp.Name, name, hashType, sf.Hash, hashType, sum)
		}
		if sf == nil || sf.Hash == "" {
			opts.Log.Warn("Auto-computed hash of a repacked archive; pin it in source-files", "component", comp.Name, "file", name, "hashType", hashType, "hash", sum)
		}
		file.Set(sourcesfile.Entry{HashType: hashType, Filename: name, Hash: sum})
	}
	return nil
}

// applySourceFile adds or replaces the sources entry of one source-files entry.
// An overlay-origin entry whose archive was not repacked (downloads skipped)
// shows its configured post-overlay hash.
func applySourceFile(comp *resolve.Component, dir string, file *sourcesfile.File, upstream map[string]bool, sf config.SourceFileReference, opts Options) error {
	if sf.Origin.Type == config.OriginOverlay && sf.Hash == "" {
		return nil
	}
	switch {
	case upstream[sf.Filename] && !sf.ReplaceUpstream:
		return fmt.Errorf("component `%s`: source-files entry %q collides with an upstream sources entry; set replace-upstream = true with a replace-reason to replace it", comp.Name, sf.Filename)
	case !upstream[sf.Filename] && sf.ReplaceUpstream:
		return fmt.Errorf("component `%s`: source-files entry %q sets replace-upstream, but the sources file has no such entry", comp.Name, sf.Filename)
	}
	hashType, sum := sf.HashType, sf.Hash
	if sum == "" {
		if !opts.AllowNoHashes {
			return fmt.Errorf("component `%s`: source-files entry %q has no hash (pin one, or pass --allow-no-hashes)", comp.Name, sf.Filename)
		}
		if opts.SkipSources {
			return fmt.Errorf("component `%s`: cannot compute the hash of %q: downloads were skipped", comp.Name, sf.Filename)
		}
		if hashType == "" {
			hashType = defaultHashType
		}
		var err error
		if sum, err = sourcesfile.HashFile(filepath.Join(dir, sf.Filename), hashType); err != nil {
			return fmt.Errorf("component `%s`: %w", comp.Name, err)
		}
		opts.Log.Warn("Auto-computed hash", "component", comp.Name, "file", sf.Filename, "hashType", hashType, "hash", sum)
	}
	if prev, ok := file.Lookup(sf.Filename); ok {
		opts.Log.Warn("Replacing upstream source", "component", comp.Name, "file", sf.Filename,
			"upstreamHash", prev.Hash, "newHash", sum, "reason", sf.ReplaceReason)
	}
	file.Set(sourcesfile.Entry{HashType: hashType, Filename: sf.Filename, Hash: sum})
	return nil
}

func sourceFileNamed(comp *resolve.Component, name string) *config.SourceFileReference {
	for i := range comp.Config.SourceFiles {
		if comp.Config.SourceFiles[i].Filename == name && comp.Config.SourceFiles[i].Origin.Type == config.OriginOverlay {
			return &comp.Config.SourceFiles[i]
		}
	}
	return nil
}
