package render

import (
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/azlforge/azldev/internal/source/sourcesfile"
)

// SourceName derives the file name a Source or Patch value refers to, as the
// reference's file filter does: a URL with a scheme and a host gives the base
// name of its path, or of its fragment when the fragment starts with "/" or
// "./"; anything else is path-cleaned. Absolute and escaping paths give "".
func SourceName(value string) string {
	if u, err := url.Parse(value); err == nil && u.Scheme != "" && u.Host != "" {
		if strings.HasPrefix(u.Fragment, "/") || strings.HasPrefix(u.Fragment, "./") {
			return path.Base(u.Fragment)
		}
		return path.Base(u.Path)
	}
	clean := path.Clean(value)
	if path.IsAbs(clean) || clean == ".." || strings.HasPrefix(clean, "../") || clean == "." {
		return ""
	}
	return clean
}

// KeepSet returns the top-level entries the filter keeps: the spec, the
// sources file and the first path component of every listed name. ok is
// false when a name still holds an unexpanded macro ("%{"): then nothing
// may be filtered.
func KeepSet(specName string, values []string) (keep map[string]bool, ok bool) {
	keep = map[string]bool{specName: true, sourcesfile.FileName: true}
	for _, v := range values {
		name := SourceName(v)
		if strings.Contains(name, "%{") {
			return nil, false
		}
		if name == "" {
			continue
		}
		first, _, _ := strings.Cut(name, "/")
		keep[first] = true
	}
	return keep, true
}

// Filter deletes every top-level entry of dir that keep does not name
// (".git" is left for the caller, which removes it after history use).
func Filter(dir string, keep map[string]bool) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if keep[e.Name()] || e.Name() == ".git" {
			continue
		}
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			return err
		}
	}
	return nil
}
