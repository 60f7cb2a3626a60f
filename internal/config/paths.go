package config

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
)

// hasMeta reports whether a pattern contains glob metacharacters.
func hasMeta(pattern string) bool { return strings.ContainsAny(pattern, "*?[") }

// Abs makes p absolute against dir (absolute values are only cleaned).
func Abs(dir, p string) string {
	if p == "" || filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(dir, p)
}

// absPattern makes a glob pattern absolute against dir, escaping dir's own
// glob metacharacters ([ ] { } * ? \) so that only the pattern's wildcards
// match; absolute patterns are only cleaned.
func absPattern(dir, pattern string) string {
	if pattern == "" || filepath.IsAbs(pattern) {
		return filepath.Clean(pattern)
	}
	return filepath.Join(globEscaper.Replace(dir), pattern)
}

var globEscaper = strings.NewReplacer(`\`, `\\`, "*", `\*`, "?", `\?`, "[", `\[`, "]", `\]`, "{", `\{`, "}", `\}`)

// Glob matches files (not directories) for a pattern made absolute against
// dir (see absPattern), in pre-order: a directory's own matches, sorted by
// byte value, come before those of its subdirectories. I/O errors are
// returned, naming the absolute path.
func Glob(dir, pattern string) ([]string, error) {
	base, rel := splitPattern(absPattern(dir, pattern))
	matches, err := doublestar.Glob(os.DirFS(base), rel, doublestar.WithFilesOnly(), doublestar.WithFailOnIOErrors())
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return nil, &fs.PathError{Op: pe.Op, Path: filepath.Join(base, pe.Path), Err: pe.Err}
	}
	if err != nil {
		return nil, err
	}
	for i, m := range matches {
		matches[i] = filepath.Join(base, filepath.FromSlash(m))
	}
	slices.SortFunc(matches, comparePreOrder)
	return matches, nil
}

// splitPattern splits a pattern at the last separator before its first
// wildcard: the directory to glob in (unescaped) and the pattern below it.
func splitPattern(pattern string) (base, rel string) {
	p := filepath.ToSlash(pattern)
	split := -1
scan:
	for i := 0; i < len(p); i++ {
		switch p[i] {
		case '\\':
			i++
		case '/':
			split = i
		case '*', '?', '[', '{':
			break scan
		}
	}
	switch split {
	case -1:
		return ".", p
	case 0:
		return "/", p[1:]
	}
	return filepath.FromSlash(unescapeGlob(p[:split])), p[split+1:]
}

// unescapeGlob drops the backslash of every escaped character.
func unescapeGlob(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func expandInclude(dir, pattern string) ([]string, error) { return Glob(dir, pattern) }

// comparePreOrder orders file paths so that a directory's files precede its subdirectories.
func comparePreOrder(a, b string) int {
	as := strings.Split(a, string(filepath.Separator))
	bs := strings.Split(b, string(filepath.Separator))
	for i := 0; i < len(as) && i < len(bs); i++ {
		if as[i] == bs[i] {
			continue
		}
		aFile, bFile := i == len(as)-1, i == len(bs)-1
		switch {
		case aFile && !bFile:
			return -1
		case bFile && !aFile:
			return 1
		}
		return strings.Compare(as[i], bs[i])
	}
	return len(as) - len(bs)
}

// resolvePaths makes every path-bearing field of f absolute against dir, the
// directory of the file that declares it.
func resolvePaths(f *File, dir, hostArch string) {
	p := &f.Project
	for _, field := range []*string{&p.LogDir, &p.WorkDir, &p.OutputDir, &p.RenderedSpecsDir, &p.LockDir} {
		if *field != "" {
			*field = Abs(dir, *field)
		}
	}
	for _, c := range f.Components {
		resolveComponentPaths(c, dir)
	}
	resolveComponentPaths(&f.DefaultComponentConfig, dir)
	for _, g := range f.ComponentGroups {
		resolveComponentPaths(&g.DefaultComponentConfig, dir)
		absPatterns(g.Specs, dir)
		absPatterns(g.ExcludedPaths, dir)
	}
	for _, d := range f.Distros {
		for _, v := range d.Versions {
			resolveComponentPaths(&v.DefaultComponentConfig, dir)
			resolveMockConfig(v, dir, hostArch)
		}
	}
	for _, img := range f.Images {
		if img.Definition.Path != "" {
			img.Definition.Path = Abs(dir, img.Definition.Path)
		}
	}
	for _, t := range f.TestSuites {
		if t.Pytest != nil && t.Pytest.WorkingDir != "" {
			t.Pytest.WorkingDir = Abs(dir, t.Pytest.WorkingDir)
		}
	}
	for _, r := range f.Resources.RPMRepos {
		r.GPGKey = gpgKeyURI(dir, r.GPGKey)
	}
	for _, s := range f.Resources.RPMRepoSets {
		s.GPGKey = gpgKeyURI(dir, s.GPGKey)
	}
}

func resolveComponentPaths(c *ComponentConfig, dir string) {
	if c.Spec.Path != "" {
		c.Spec.Path = Abs(dir, c.Spec.Path)
	}
	for i := range c.Overlays {
		if c.Overlays[i].Source != "" {
			c.Overlays[i].Source = Abs(dir, c.Overlays[i].Source)
		}
	}
}

// resolveMockConfig copies the host architecture's mock config into mock-config, then absolutizes it.
func resolveMockConfig(v *DistroVersionDefinition, dir, hostArch string) {
	switch {
	case hostArch == "x86_64" && v.MockConfigX8664 != "":
		v.MockConfig = v.MockConfigX8664
	case hostArch == "aarch64" && v.MockConfigAarch64 != "":
		v.MockConfig = v.MockConfigAarch64
	}
	if v.MockConfig != "" {
		v.MockConfig = Abs(dir, v.MockConfig)
	}
}

// gpgKeyURI turns a bare key path into an absolute file:// URI; URIs are kept.
func gpgKeyURI(dir, key string) string {
	if key == "" || strings.Contains(key, "://") {
		return key
	}
	return "file://" + Abs(dir, key)
}

func absPatterns(patterns []string, dir string) {
	for i, p := range patterns {
		patterns[i] = absPattern(dir, p)
	}
}

// escapes reports whether the absolute path p lies outside dir.
func escapes(dir, p string) bool {
	rel, err := filepath.Rel(dir, p)
	return err != nil || rel == ".." || strings.HasPrefix(rel, "../")
}

// confinePaths reports component paths of a project file that leave the project directory.
func confinePaths(f *File, projectDir string) problems {
	var ps problems
	check := func(at []string, p string) {
		if p != "" && escapes(projectDir, p) {
			ps.add(at, "path %s is outside the project directory %s", p, projectDir)
		}
	}
	checkPattern := func(at []string, p string) {
		if escapes(globEscaper.Replace(projectDir), p) {
			ps.add(at, "pattern %s is outside the project directory %s", p, projectDir)
		}
	}
	component := func(at []string, c *ComponentConfig) {
		check(sub(at, "spec", "path"), c.Spec.Path)
		for i := range c.Overlays {
			check(sub(at, "overlays", fmt.Sprint(i), "source"), c.Overlays[i].Source)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(f.Components)) {
		component([]string{"components", name}, f.Components[name])
	}
	component([]string{"default-component-config"}, &f.DefaultComponentConfig)
	for _, name := range slices.Sorted(maps.Keys(f.ComponentGroups)) {
		g := f.ComponentGroups[name]
		component([]string{"component-groups", name, "default-component-config"}, &g.DefaultComponentConfig)
		for i, s := range g.Specs {
			checkPattern([]string{"component-groups", name, "specs", fmt.Sprint(i)}, s)
		}
	}
	return ps
}

// RenderedSpecDir returns where a component's rendered spec lives under root.
func RenderedSpecDir(root, name string) string {
	if name == "" {
		return root
	}
	return filepath.Join(root, strings.ToLower(name[:1]), name)
}
