// Package skeleton writes a new project: its root azldev.toml (the schema
// URI, the project directories spelled out and a default group that
// discovers every spec) and a .gitignore for the build and output
// directories.
package skeleton

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/azlforge/azldev/internal/config"
	"github.com/azlforge/azldev/internal/foundation/atomicfile"
)

// GitignoreName is the name of the git ignore file written beside azldev.toml.
const GitignoreName = ".gitignore"

// ignored are the .gitignore entries of a project: the default log and work
// directories (under build/) and the output directory.
var ignored = []string{"build/", "out/"}

// File is one file written by New or Init.
type File struct {
	Path   string `json:"path"`
	Action string `json:"action"` // "created" or "updated"
}

// ErrExists is wrapped by errors about a project or directory that is already there.
var ErrExists = errors.New("already exists")

// New creates dir (and its parents) and writes a project into it. dir must
// not exist yet or be an empty directory.
func New(dir string) ([]File, error) {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
	case err != nil:
		return nil, err
	case len(entries) > 0:
		return nil, fmt.Errorf("%s %w and is not empty; run 'azldev project init' in it to make it a project", dir, ErrExists)
	}
	return Init(dir)
}

// Init makes the existing directory dir a project: it writes azldev.toml,
// refusing to replace one, and adds the missing entries to .gitignore
// (creating it when absent).
func Init(dir string) ([]File, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("%s is not a directory", dir)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	root := filepath.Join(abs, config.RootFileName)
	if err := createExclusive(root, RootConfig(filepath.Base(abs))); err != nil {
		return nil, err
	}
	files := []File{{Path: root, Action: "created"}}
	gi, err := ensureGitignore(filepath.Join(abs, GitignoreName))
	if err != nil {
		return files, err
	}
	if gi != nil {
		files = append(files, *gi)
	}
	return files, nil
}

// RootConfig is the azldev.toml of a new project named description. The
// default group leaves out the build and output directories and also the
// rendered specs directory, whose specs would otherwise be discovered as
// second copies of the components (the reference excludes only build/** and
// out/**).
func RootConfig(description string) []byte {
	return fmt.Appendf(nil, `"$schema" = %s

[project]
description = %s
log-dir = 'build/logs'
work-dir = 'build/work'
output-dir = 'out'
lock-dir = 'locks'
rendered-specs-dir = 'specs'

# Every spec file in the project is a component, named after the file.
[component-groups.default]
description = 'Components found by spec discovery'
specs = ['**/*.spec']
excluded-paths = ['build/**', 'out/**', 'specs/**']
`, tomlString(config.SchemaID), tomlString(description))
}

// tomlString quotes s as a TOML basic string (JSON's escapes are valid TOML).
func tomlString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// createExclusive writes a new file at path, failing when path exists.
func createExclusive(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s %w; not overwriting an existing project", path, ErrExists)
	}
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
	}
	return err
}

// ensureGitignore adds the missing ignore entries to path; it returns the
// file written, or nil when every entry was already there.
func ensureGitignore(path string) (*File, error) {
	old, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	action := "updated"
	if old == nil {
		action = "created"
	}
	have := strings.Split(string(old), "\n")
	var add []string
	for _, e := range ignored {
		if !slices.Contains(have, e) && !slices.Contains(have, "/"+e) {
			add = append(add, e)
		}
	}
	if len(add) == 0 {
		return nil, nil
	}
	text := string(old)
	if text != "" && !strings.HasSuffix(text, "\n") {
		text += "\n"
	}
	text += strings.Join(add, "\n") + "\n"
	if err := atomicfile.Replace(path, []byte(text), 0o644); err != nil {
		return nil, err
	}
	return &File{Path: path, Action: action}, nil
}
