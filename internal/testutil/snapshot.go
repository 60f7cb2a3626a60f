package testutil

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// Snapshot records every entry below dir by its path relative to dir: the
// mode string, then " -> target" for a symlink or " " and the content for a
// regular file. Directories named in skip are left out with their contents.
func Snapshot(tb testing.TB, dir string, skip ...string) map[string]string {
	tb.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && p != dir && slices.Contains(skip, d.Name()) {
			return filepath.SkipDir
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		val := info.Mode().String()
		switch {
		case info.Mode()&fs.ModeSymlink != 0:
			target, _ := os.Readlink(p)
			val += " -> " + target
		case info.Mode().IsRegular():
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			val += " " + string(b)
		}
		out[rel] = val
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return out
}
