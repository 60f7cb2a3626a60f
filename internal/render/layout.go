// Package render produces the rendered-specs tree: each component's final
// spec and the files it uses, under <root>/<letter>/<name>, replacing a
// component's output only when its rendering succeeded.
package render

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/azlforge/azldev/internal/config"
)

// FailedMarker is the file a failed component's directory receives, and
// FailedText its exact content.
const (
	FailedMarker = "RENDER_FAILED"
	FailedText   = "Rendering failed. See azldev logs for details.\n"
)

// ComponentDir is where a component's rendered output lives under root.
func ComponentDir(root, name string) string { return config.RenderedSpecDir(root, name) }

// Alias is the URL-escaped name of a component whose escaped form differs
// (e.g. libxml++ → libxml%2B%2B), or "" when it needs no alias.
func Alias(name string) string {
	if e := url.QueryEscape(name); e != name {
		return e
	}
	return ""
}

// LinkAlias makes <letter>/<alias> a relative symbolic link to the
// component's directory. An existing entry that is not a symbolic link is
// an error.
func LinkAlias(root, name string) error {
	alias := Alias(name)
	if alias == "" {
		return nil
	}
	link := filepath.Join(filepath.Dir(ComponentDir(root, name)), alias)
	if fi, err := os.Lstat(link); err == nil {
		if fi.Mode()&os.ModeSymlink == 0 {
			return fmt.Errorf("cannot create alias %s for component %s: a file or directory is in the way", link, name)
		}
		if target, _ := os.Readlink(link); target == name {
			return nil
		}
		if err := os.Remove(link); err != nil {
			return err
		}
	}
	return os.Symlink(name, link)
}

// IsFailedMarkerOnly reports whether dir holds exactly the failure marker
// with its exact text.
func IsFailedMarkerOnly(dir string) bool {
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) != 1 || entries[0].Name() != FailedMarker {
		return false
	}
	data, err := os.ReadFile(filepath.Join(dir, FailedMarker))
	return err == nil && string(data) == FailedText
}

// Orphans lists the rendered directories <root>/<one-char dir>/<child dir>
// that name neither a known component nor its alias, as "<letter>/<child>".
// Files, longer top-level directories and symbolic links are left alone.
func Orphans(root string, known []string) ([]string, error) {
	keep := map[string]bool{}
	for _, n := range known {
		keep[n] = true
		if a := Alias(n); a != "" {
			keep[a] = true
		}
	}
	tops, err := os.ReadDir(root)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var orphans []string
	for _, top := range tops {
		if !top.IsDir() || len(top.Name()) != 1 {
			continue
		}
		children, err := os.ReadDir(filepath.Join(root, top.Name()))
		if err != nil {
			return nil, err
		}
		for _, c := range children {
			if c.IsDir() && !keep[c.Name()] {
				orphans = append(orphans, top.Name()+"/"+c.Name())
			}
		}
	}
	slices.Sort(orphans)
	return orphans, nil
}

// RemoveOrphans deletes the orphan directories and then letter directories
// left empty.
func RemoveOrphans(root string, orphans []string) error {
	for _, o := range orphans {
		if err := os.RemoveAll(filepath.Join(root, filepath.FromSlash(o))); err != nil {
			return err
		}
		letter, _, _ := strings.Cut(o, "/")
		_ = os.Remove(filepath.Join(root, letter)) // only succeeds when empty
	}
	return nil
}
