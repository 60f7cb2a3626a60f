package config

import (
	"bytes"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/pelletier/go-toml/v2"

	"github.com/azlforge/azldev/internal/foundation/parallel"
)

// RootFileName is the name of a project's root configuration file.
const RootFileName = "azldev.toml"

//go:embed defaults.toml
var embeddedDefaults []byte

// EmbeddedDefaults returns (a copy of) the configuration built into azldev,
// loaded first unless Options.NoDefaults.
func EmbeddedDefaults() []byte { return bytes.Clone(embeddedDefaults) }

// ErrNoProject is returned when no azldev.toml is found from the start directory upwards.
var ErrNoProject = errors.New("no Azure Linux project found (no " + RootFileName + " in this directory or any parent)")

// Options controls what Load reads.
type Options struct {
	StartDir   string   // where root discovery starts (the -C value, or the working directory)
	ExtraFiles []string // --config-file values, loaded last in order
	UserConfig string   // the user's config file; skipped when empty or absent
	NoDefaults bool     // skip the embedded defaults
	Permissive bool     // unknown keys and merged-config problems become warnings
	HostArch   string   // x86_64 or aarch64: selects mock-config-<arch>
}

// Config is the merged configuration of a project plus where each entry came from.
// A Config rebuilt from the configuration cache (package config/cache) may
// hold its components back in a ComponentStore: read them with Component,
// HasComponent, ComponentNames and ComponentFile, or call LoadComponents
// before using Components or ComponentFiles directly.
type Config struct {
	File
	RootFile       string
	ProjectDir     string
	LoadedFiles    []string          // every file read, in load order
	ComponentFiles map[string]string // component name → declaring file
	GroupFiles     map[string]string // component group name → declaring file
	ImageFiles     map[string]string // image name → declaring file
	PackageFiles   map[string]string // package group name → declaring file
	SuiteFiles     map[string]string // test suite name → declaring file
	DistroFile     string            // the file that last set project.default-distro
	Warnings       []string

	store ComponentStore // serves the components held back, or nil (see components.go)
}

// FindRoot walks up from dir to find the root azldev.toml.
func FindRoot(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for {
		p := filepath.Join(dir, RootFileName)
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", ErrNoProject
		}
		dir = parent
	}
}

// UserConfigPath returns the per-user configuration file location, or "".
func UserConfigPath() string {
	if x := os.Getenv("XDG_CONFIG_HOME"); filepath.IsAbs(x) {
		return filepath.Join(x, "azldev", "config.toml")
	}
	if h := os.Getenv("HOME"); filepath.IsAbs(h) {
		return filepath.Join(h, ".config", "azldev", "config.toml")
	}
	return ""
}

// Load discovers the project root and loads, validates and merges its configuration.
func Load(opts Options) (*Config, error) {
	root, err := FindRoot(opts.StartDir)
	if err != nil {
		return nil, err
	}
	return LoadRoot(root, opts, nil)
}

// Observer sees every file system access a load makes, so that a cache of
// its result (package config/cache) can tell later whether the result is
// still current. Each method performs the access it observes and may be
// called concurrently.
type Observer interface {
	// Probe is called before the existence of an optional file (the user
	// configuration) is checked.
	Probe(path string)
	// ReadFile reads a configuration file, like os.ReadFile.
	ReadFile(path string) ([]byte, error)
	// Glob expands an include pattern relative to dir, like Glob.
	Glob(dir, pattern string) ([]string, error)
}

// LoadRoot loads, validates and merges the configuration of the root file
// root (as returned by FindRoot; opts.StartDir is not used). obs, when not
// nil, performs and observes every file read, probe and include glob.
func LoadRoot(root string, opts Options, obs Observer) (*Config, error) {
	c := &Config{
		RootFile:       root,
		ProjectDir:     filepath.Dir(root),
		ComponentFiles: map[string]string{},
		GroupFiles:     map[string]string{},
		ImageFiles:     map[string]string{},
		PackageFiles:   map[string]string{},
		SuiteFiles:     map[string]string{},
	}
	l := &loader{cfg: c, opts: opts, obs: obs}
	if err := l.loadAll(); err != nil {
		return nil, err
	}
	if err := validateMerged(c); err != nil {
		if !opts.Permissive {
			return nil, err
		}
		c.Warnings = append(c.Warnings, strings.Split(err.Error(), "\n")...)
	}
	c.applyDirDefaults()
	return c, nil
}

type loader struct {
	cfg   *Config
	opts  Options
	seen  map[string]bool    // files loaded in the current phase
	ahead map[string]decoded // files decoded ahead of their turn
	mu    sync.Mutex         // guards cfg.Warnings during concurrent decoding
	obs   Observer           // for the configuration cache, or nil
}

func (l *loader) loadAll() error {
	l.ahead = map[string]decoded{}
	if !l.opts.NoDefaults {
		f, err := l.check("<embedded defaults>", embeddedDefaults)
		if err != nil {
			return err
		}
		if err := l.cfg.merge(f, "<embedded defaults>"); err != nil {
			return err
		}
	}
	l.seen = map[string]bool{}
	if err := l.loadTree(l.cfg.RootFile); err != nil {
		return err
	}
	if u := l.opts.UserConfig; u != "" {
		if l.obs != nil {
			l.obs.Probe(u)
		}
		if _, err := os.Stat(u); err == nil {
			l.seen = map[string]bool{}
			if err := l.loadTree(u); err != nil {
				return err
			}
		}
	}
	for _, extra := range l.opts.ExtraFiles {
		l.seen = map[string]bool{}
		abs, err := filepath.Abs(extra)
		if err != nil {
			return err
		}
		if err := l.loadTree(abs); err != nil {
			return err
		}
	}
	return nil
}

// loadTree loads one file, then each of its includes depth-first.
func (l *loader) loadTree(file string) error {
	file = filepath.Clean(file)
	l.seen[file] = true
	f, err := l.prepared(file)
	if err != nil {
		return err
	}
	if err := l.commit(f, file); err != nil {
		return err
	}
	includes, err := l.includes(f, file)
	if err != nil {
		return err
	}
	paths := make([]string, len(includes))
	for i, inc := range includes {
		paths[i] = inc.path
	}
	l.prepare(paths)
	for _, inc := range includes {
		if l.seen[filepath.Clean(inc.path)] {
			return l.cfg.locatedf(file, []string{"includes", fmt.Sprint(inc.index)},
				"circular include detected: '%s' is included by a file that it transitively includes", l.cfg.display(inc.path))
		}
		if err := l.loadTree(inc.path); err != nil {
			return err
		}
	}
	return nil
}

// include is one file matched by an include pattern.
type include struct {
	path  string
	index int // the pattern's position in `includes`
}

// decoded is a file read, decoded and validated ahead of merging.
type decoded struct {
	file *File
	err  error
}

// prepare reads, decodes and validates files concurrently, ahead of their turn.
func (l *loader) prepare(files []string) {
	if len(files) < 2 {
		return
	}
	// A file's error is kept for its turn: decoding never fails here.
	// (parallel.Map measured as fast as the hand-written pool it replaced:
	// BenchmarkLoadCorpus about 54 ms/op either way, interleaved runs on 2 CPUs.)
	results, _ := parallel.Map(context.Background(), files, parallel.Options{}, func(_ context.Context, _ int, f string) (decoded, error) {
		file, err := l.readAndCheck(f)
		return decoded{file, err}, nil
	})
	for i, f := range files {
		l.ahead[filepath.Clean(f)] = results[i]
	}
}

// prepared returns the decoded file, from prepare's results when available.
func (l *loader) prepared(file string) (*File, error) {
	if d, ok := l.ahead[file]; ok {
		delete(l.ahead, file)
		return d.file, d.err
	}
	return l.readAndCheck(file)
}

func (l *loader) readAndCheck(file string) (*File, error) {
	read := os.ReadFile
	if l.obs != nil {
		read = l.obs.ReadFile
	}
	data, err := read(file)
	if err != nil {
		return nil, fmt.Errorf("reading config file: %w", err)
	}
	return l.check(l.cfg.display(file), data)
}

// includes expands f's include patterns (relative to file) in load order.
func (l *loader) includes(f *File, file string) ([]include, error) {
	var out []include
	for i, pat := range f.Includes {
		expand := expandInclude
		if l.obs != nil {
			expand = l.obs.Glob
		}
		matches, err := expand(filepath.Dir(file), pat)
		if err != nil {
			return nil, l.cfg.locatedf(file, []string{"includes", fmt.Sprint(i)}, "include %q: %v", pat, err)
		}
		if len(matches) == 0 && !hasMeta(pat) {
			return nil, l.cfg.locatedf(file, []string{"includes", fmt.Sprint(i)},
				"failed to find include file '%s' referenced in config file '%s': file does not exist", pat, file)
		}
		for _, m := range matches {
			out = append(out, include{path: m, index: i})
		}
	}
	return out, nil
}

// check decodes and validates one file's content.
func (l *loader) check(display string, data []byte) (*File, error) {
	f, err := l.decode(display, data)
	if err != nil {
		return nil, err
	}
	if errs := validateFile(f).locate(display, data); len(errs) > 0 {
		return nil, errs.errOrNil()
	}
	return f, nil
}

// commit absolutizes f's paths against its file's directory and merges it.
// Files of the project tree may not point outside the project directory.
func (l *loader) commit(f *File, file string) error {
	resolvePaths(f, filepath.Dir(file), l.opts.HostArch)
	if !escapes(l.cfg.ProjectDir, file) {
		if ps := confinePaths(f, l.cfg.ProjectDir); len(ps) > 0 {
			data, _ := os.ReadFile(file)
			return ps.locate(l.cfg.display(file), data).errOrNil()
		}
	}
	l.cfg.LoadedFiles = append(l.cfg.LoadedFiles, file)
	return l.cfg.merge(f, file)
}

func (l *loader) warn(msg string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.cfg.Warnings = append(l.cfg.Warnings, msg)
}

// decode reads data strictly; in permissive mode unknown keys become warnings.
// Large documents are decoded in independent parts (see splitDocument).
func (l *loader) decode(display string, data []byte) (*File, error) {
	parts := splitDocument(data)
	if parts == nil {
		return l.decodeWhole(display, data)
	}
	files, err := parallel.Map(context.Background(), parts, parallel.Options{Mode: parallel.CollectAll},
		func(_ context.Context, _ int, part []byte) (*File, error) { return l.decodeWhole(display, part) })
	if err != nil {
		return nil, err
	}
	return combineParts(files), nil
}

func (l *loader) decodeWhole(display string, data []byte) (*File, error) {
	var f File
	err := toml.NewDecoder(bytes.NewReader(data)).DisallowUnknownFields().Decode(&f)
	var strict *toml.StrictMissingError
	if errors.As(err, &strict) {
		errs := make(Errors, 0, len(strict.Errors))
		for i := range strict.Errors {
			e := &strict.Errors[i]
			row, col := e.Position()
			errs = append(errs, &FileError{File: display, Pos: Position{row, col},
				Msg: fmt.Sprintf("unknown field `%s`", strings.Join(e.Key(), "."))})
		}
		if !l.opts.Permissive {
			return nil, errs.errOrNil()
		}
		for _, e := range errs {
			l.warn(e.Error() + " (ignored: --permissive-config)")
		}
		f = File{}
		err = toml.NewDecoder(bytes.NewReader(data)).Decode(&f)
	}
	var de *toml.DecodeError
	if errors.As(err, &de) {
		row, col := de.Position()
		return nil, &FileError{File: display, Pos: Position{row, col}, Msg: strings.TrimPrefix(de.Error(), "toml: ")}
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", display, err)
	}
	return &f, nil
}

// merge folds one decoded file into the configuration.
func (c *Config) merge(f *File, file string) error {
	mergeProject(&c.Project, &f.Project)
	if f.Project.DefaultDistro != (DistroReference{}) {
		c.DistroFile = file
	}
	setStr(&c.Tools.ImageCustomizer.ContainerTag, f.Tools.ImageCustomizer.ContainerTag)
	for _, name := range slices.Sorted(maps.Keys(f.Distros)) {
		if c.Distros == nil {
			c.Distros = map[string]*DistroDefinition{}
		}
		if prev, ok := c.Distros[name]; ok {
			mergeDistro(prev, f.Distros[name])
		} else {
			c.Distros[name] = f.Distros[name]
		}
	}
	var errs Errors
	errs = append(errs, unionInto(c, &c.Components, f.Components, c.ComponentFiles, file, "components", "duplicate component: %s")...)
	errs = append(errs, unionInto(c, &c.ComponentGroups, f.ComponentGroups, c.GroupFiles, file, "component-groups", "duplicate component group: %s")...)
	errs = append(errs, unionInto(c, &c.Images, f.Images, c.ImageFiles, file, "images", "duplicate image: %s")...)
	errs = append(errs, unionInto(c, &c.PackageGroups, f.PackageGroups, c.PackageFiles, file, "package-groups", "duplicate package group: `%s`")...)
	errs = append(errs, unionInto(c, &c.TestSuites, f.TestSuites, c.SuiteFiles, file, "test-suites", "duplicate test suite: test suite `%s`")...)
	MergeComponent(&c.DefaultComponentConfig, &f.DefaultComponentConfig)
	mergePackageConfig(&c.DefaultPackageConfig, &f.DefaultPackageConfig)
	replaceEntries(&c.Resources.RPMRepos, f.Resources.RPMRepos)
	replaceEntries(&c.Resources.RPMRepoSetTemplates, f.Resources.RPMRepoSetTemplates)
	replaceEntries(&c.Resources.RPMRepoSets, f.Resources.RPMRepoSets)
	return errs.errOrNil()
}

// unionInto adds src's entries to *dst; a name already present is an error naming both files.
func unionInto[V any](c *Config, dst *map[string]V, src map[string]V, origin map[string]string, file, table, format string) Errors {
	if len(src) == 0 {
		return nil
	}
	if *dst == nil {
		*dst = make(map[string]V, len(src))
	}
	var errs Errors
	for name, v := range src {
		if _, dup := (*dst)[name]; dup {
			msg := fmt.Sprintf(format, name)
			if prev := origin[name]; prev != "" {
				msg += fmt.Sprintf(" (also defined in %s)", c.display(prev))
			}
			errs = append(errs, c.locatedf(file, []string{table, name}, "%s", msg))
			continue
		}
		(*dst)[name] = v
		if origin != nil {
			origin[name] = file
		}
	}
	return errs
}

// applyDirDefaults fills unset project directories relative to the project dir.
func (c *Config) applyDirDefaults() {
	for _, d := range []struct {
		field *string
		def   string
	}{
		{&c.Project.LogDir, "build/logs"},
		{&c.Project.WorkDir, "build/work"},
		{&c.Project.OutputDir, "out"},
		{&c.Project.LockDir, "locks"},
		{&c.Project.RenderedSpecsDir, "specs"},
	} {
		if *d.field == "" {
			*d.field = filepath.Join(c.ProjectDir, d.def)
		}
	}
}

// locatedf builds an error positioned at key path within file (re-read on demand).
func (c *Config) locatedf(file string, path []string, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	data, err := os.ReadFile(file)
	if err != nil {
		return &FileError{File: c.display(file), Msg: msg}
	}
	pos, _ := indexKeys(data).lookup(path)
	return &FileError{File: c.display(file), Pos: pos, Msg: msg}
}

// display shortens a path to be relative to the project dir when inside it.
func (c *Config) display(file string) string {
	if c.ProjectDir == "" || !filepath.IsAbs(file) {
		return file
	}
	if rel, err := filepath.Rel(c.ProjectDir, file); err == nil && !strings.HasPrefix(rel, "..") {
		return rel
	}
	return file
}

// Display returns file relative to the project dir when inside it.
func (c *Config) Display(file string) string { return c.display(file) }
