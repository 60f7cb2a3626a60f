package config

import (
	"fmt"
	"maps"
	"path"
	"slices"
)

// ImagesMatching returns the sorted names of the images matching any of the
// shell patterns (every image when none are given).
func (c *Config) ImagesMatching(patterns []string) ([]string, error) {
	var names []string
	for _, name := range slices.Sorted(maps.Keys(c.Images)) {
		ok, err := matchAny(patterns, name)
		if err != nil {
			return nil, err
		}
		if ok {
			names = append(names, name)
		}
	}
	return names, nil
}

// matchAny reports whether name matches one of the shell patterns (all names match when none are given).
func matchAny(patterns []string, name string) (bool, error) {
	if len(patterns) == 0 {
		return true, nil
	}
	for _, p := range patterns {
		ok, err := path.Match(p, name)
		if err != nil {
			return false, fmt.Errorf("invalid pattern %q: %w", p, err)
		}
		if ok {
			return true, nil
		}
	}
	return false, nil
}
