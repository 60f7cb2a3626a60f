package resolve

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
	"github.com/pelletier/go-toml/v2"

	"github.com/azlforge/azldev/internal/config"
)

// overlayDocument is the schema of a file named by `overlay-files`.
type overlayDocument struct {
	Metadata *config.OverlayMetadata `toml:"metadata"`
	Overlays []overlayEntry          `toml:"overlays"`
}

// overlayEntry is an overlay as written in an overlay document; per-overlay
// metadata is decoded only to be rejected with a clear message.
type overlayEntry struct {
	config.ComponentOverlay
	Metadata any `toml:"metadata"`
}

func matchPath(pattern, path string) (bool, error) { return doublestar.PathMatch(pattern, path) }

// expandOverlayFiles loads the component's overlay documents and appends
// their overlays after the inline ones.
func (r *Resolver) expandOverlayFiles(c *Component) error {
	patterns := c.Config.OverlayFiles
	c.Config.OverlayFiles = nil
	if len(patterns) == 0 {
		return nil
	}
	files, err := r.overlayFilePaths(c, patterns)
	if err != nil {
		return err
	}
	for _, f := range files {
		overlays, err := r.loadOverlayDocument(c.Name, f)
		if err != nil {
			return err
		}
		c.Config.Overlays = append(c.Config.Overlays, overlays...)
	}
	return nil
}

// OverlayFile is an overlay document of a component with its overlays.
type OverlayFile struct {
	Path     string
	Overlays []config.ComponentOverlay
}

// OverlayFiles returns the overlay documents named by a component's
// overlay-files patterns (inherited ones included), in application order.
func (r *Resolver) OverlayFiles(name string) ([]OverlayFile, error) {
	c, err := r.layers(name, true)
	if err != nil || len(c.Config.OverlayFiles) == 0 {
		return nil, err
	}
	paths, err := r.overlayFilePaths(c, c.Config.OverlayFiles)
	if err != nil {
		return nil, err
	}
	docs := make([]OverlayFile, len(paths))
	for i, p := range paths {
		if docs[i].Overlays, err = r.loadOverlayDocument(name, p); err != nil {
			return nil, err
		}
		docs[i].Path = p
	}
	return docs, nil
}

// overlayFilePaths globs each pattern against the component's reference dir:
// matches sorted by base name (ties by path), patterns in order, duplicates dropped.
func (r *Resolver) overlayFilePaths(c *Component, patterns []string) ([]string, error) {
	refDir := filepath.Dir(c.ConfigFile)
	if c.ConfigFile == "" {
		refDir = filepath.Dir(c.Config.Spec.Path)
	}
	var out []string
	seen := map[string]bool{}
	for _, pat := range patterns {
		matches, err := config.Glob(refDir, pat)
		if err != nil {
			return nil, fmt.Errorf("component `%s`: overlay-files pattern %q: %w", c.Name, pat, err)
		}
		if len(matches) == 0 && !strings.ContainsAny(pat, "*?[") {
			return nil, fmt.Errorf("component `%s`: overlay-files pattern matched no files: %q (relative to %s)", c.Name, pat, refDir)
		}
		slices.SortFunc(matches, func(a, b string) int {
			if d := strings.Compare(filepath.Base(a), filepath.Base(b)); d != 0 {
				return d
			}
			return strings.Compare(a, b)
		})
		for _, m := range matches {
			if !seen[m] {
				seen[m] = true
				out = append(out, m)
			}
		}
	}
	return out, nil
}

// loadOverlayDocument decodes and validates one overlay document.
func (r *Resolver) loadOverlayDocument(comp, file string) ([]config.ComponentOverlay, error) {
	display := r.cfg.Display(file)
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("component `%s`: reading overlay file: %w", comp, err)
	}
	var doc overlayDocument
	if err := decodeStrict(data, &doc); err != nil {
		return nil, fmt.Errorf("component `%s`: overlay file %s%w", comp, display, err)
	}
	metadata, err := r.documentMetadata(doc.Metadata)
	if err != nil {
		return nil, fmt.Errorf("component `%s`: overlay file %s: %w", comp, display, err)
	}
	if len(doc.Overlays) == 0 {
		return nil, fmt.Errorf("component `%s`: overlay file %s: overlay file declares no overlays", comp, display)
	}
	out := make([]config.ComponentOverlay, len(doc.Overlays))
	for i, e := range doc.Overlays {
		if e.Metadata != nil {
			return nil, fmt.Errorf("component `%s`: overlay file %s: overlay %d: per-overlay `metadata` is not allowed; the file's [metadata] applies to every overlay", comp, display, i+1)
		}
		o := e.ComponentOverlay
		if metadata != nil {
			md := *metadata
			o.Metadata = &md
		}
		if o.Source != "" {
			o.Source = config.Abs(filepath.Dir(file), o.Source)
		}
		if _, err := config.CheckOverlay(&o); err != nil {
			return nil, fmt.Errorf("component `%s`: overlay file %s: invalid overlay %d: %w", comp, display, i+1, err)
		}
		out[i] = o
	}
	return out, nil
}

// documentMetadata validates a document's [metadata] and returns what the
// overlays carry: the metadata when valid; nothing (with a warning) when
// --permissive-config tolerates its problem.
func (r *Resolver) documentMetadata(md *config.OverlayMetadata) (*config.OverlayMetadata, error) {
	var err error
	if md == nil {
		err = errors.New("missing [metadata] table")
	} else if _, e := config.CheckMetadata(md); e != nil {
		err = e
	}
	switch {
	case err == nil:
		return md, nil
	case r.permissive:
		r.warn(err.Error() + " (ignored: --permissive-config)")
		return nil, nil
	}
	return nil, err
}

// decodeStrict decodes TOML rejecting unknown keys; errors carry ":line:col: ".
func decodeStrict(data []byte, v any) error {
	err := toml.NewDecoder(bytes.NewReader(data)).DisallowUnknownFields().Decode(v)
	var strict *toml.StrictMissingError
	if errors.As(err, &strict) && len(strict.Errors) > 0 {
		e := &strict.Errors[0]
		row, col := e.Position()
		return fmt.Errorf(":%d:%d: unknown field `%s`", row, col, strings.Join(e.Key(), "."))
	}
	var de *toml.DecodeError
	if errors.As(err, &de) {
		row, col := de.Position()
		return fmt.Errorf(":%d:%d: %s", row, col, strings.TrimPrefix(de.Error(), "toml: "))
	}
	if err != nil {
		return fmt.Errorf(": %w", err)
	}
	return nil
}
