package macro

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Config describes the macro environment to load.
type Config struct {
	// ConfigDir is rpm's configuration directory (RPM_CONFIGDIR): it holds
	// macros, rpmrc, platform/, macros.d/, the vendor directory and lua/.
	ConfigDir string
	// Arch is the target architecture; default x86_64.
	Arch string
	// OS is the target operating system; default linux.
	OS string
	// MacroFiles overrides the macro file path (entries may use %{_target}
	// and globs). Empty means rpmrc's macrofiles line, else rpm's default.
	MacroFiles []string
	// Defines are applied after the files, like rpm --define "name body".
	Defines []string
	// Limits bound expansions; zero fields take DefaultLimits.
	Limits Limits
	// PlainLua runs Fedora's Lua helpers as written, without the native Go
	// version of their hot loop (the reference it is tested against).
	PlainLua bool
}

// Base is an immutable, loaded macro environment, safe for concurrent use.
type Base struct {
	tab     *table
	confDir string
	limits  Limits
	luaMods map[string]*luaModule
	luaPool luaPool
}

// macroLevelFiles is rpm's scope level for definitions read from files.
const macroLevelFiles = -13

// defaultMacroPath is rpm 4.18's compiled-in macro path, relative to the
// configuration directory; %{vendor} stands for the vendor directory.
var defaultMacroPath = []string{
	"macros",
	"macros.d/macros.*",
	"platform/%{_target}/macros",
	"fileattrs/*.attr",
	"%{vendor}/macros",
}

// Load reads the configuration and returns the base environment.
func Load(ctx context.Context, cfg Config) (*Base, error) {
	if cfg.ConfigDir == "" {
		return nil, fmt.Errorf("macro: no configuration directory")
	}
	dir, err := filepath.Abs(cfg.ConfigDir)
	if err != nil {
		return nil, err
	}
	if cfg.Arch == "" {
		cfg.Arch = "x86_64"
	}
	if cfg.OS == "" {
		cfg.OS = "linux"
	}
	b := &Base{tab: newTable(nil), confDir: dir, limits: cfg.Limits.withDefaults()}
	if b.luaMods, err = compileLuaModules(filepath.Join(dir, "lua"), cfg.PlainLua); err != nil {
		return nil, err
	}
	c := b.NewContext(Options{})
	defer c.Close()
	rc, err := readRpmrc(filepath.Join(dir, "rpmrc"))
	if err != nil {
		return nil, err
	}
	// As rpm does, the target variables are set before the macro path is
	// expanded and set again after the files, so they win over them.
	c.pushTarget(cfg, rc)
	paths := cfg.MacroFiles
	if len(paths) == 0 {
		paths = rc.macrofiles
	}
	if err := c.loadMacroPath(ctx, paths); err != nil {
		return nil, err
	}
	c.pushTarget(cfg, rc)
	for _, d := range cfg.Defines {
		if err := c.DefineLine(d); err != nil {
			return nil, err
		}
	}
	b.tab = c.tab.flatten()
	return b, nil
}

// pushTarget defines the rpmrc-level target macros.
func (c *Context) pushTarget(cfg Config, rc rpmrc) {
	const levelRpmrc = -11
	c.tab.push("_target", "", false, cfg.Arch+"-"+cfg.OS, levelRpmrc)
	c.tab.push("_target_cpu", "", false, cfg.Arch, levelRpmrc)
	c.tab.push("_target_os", "", false, cfg.OS, levelRpmrc)
	if f, ok := rc.optflags[cfg.Arch]; ok {
		c.tab.push("optflags", "", false, f, levelRpmrc)
	}
}

// ConfigDir returns the configuration directory.
func (b *Base) ConfigDir() string { return b.confDir }

type rpmrc struct {
	macrofiles []string
	optflags   map[string]string
}

// readRpmrc reads the macrofiles and optflags lines of rpmrc.
func readRpmrc(path string) (rpmrc, error) {
	rc := rpmrc{optflags: map[string]string{}}
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return rc, nil
	}
	if err != nil {
		return rc, err
	}
	for _, line := range strings.Split(string(data), "\n") {
		key, val, ok := strings.Cut(strings.TrimSpace(line), ":")
		if !ok {
			continue
		}
		val = strings.TrimSpace(val)
		switch strings.TrimSpace(key) {
		case "macrofiles":
			rc.macrofiles = strings.Split(val, ":")
		case "optflags":
			if arch, flags, ok := strings.Cut(val, " "); ok {
				rc.optflags[arch] = strings.TrimSpace(flags)
			}
		}
	}
	return rc, nil
}

// loadMacroPath loads each entry of a macro path in order. Relative entries
// are resolved against the configuration directory; entries outside it (the
// host's /etc/rpm and ~/.rpmmacros) are skipped so the host never leaks in.
func (c *Context) loadMacroPath(ctx context.Context, entries []string) error {
	if len(entries) == 0 {
		entries = defaultMacroPath
	}
	patterns := make([]string, len(entries))
	for i, ent := range entries {
		ent = strings.ReplaceAll(ent, "%{vendor}", vendorDir(c.base.confDir))
		var err error
		if patterns[i], err = c.Expand(ctx, ent); err != nil {
			return err
		}
	}
	for _, pattern := range patterns {
		if !filepath.IsAbs(pattern) {
			pattern = filepath.Join(c.base.confDir, pattern)
		}
		if _, ok := c.allowedPath(pattern); !ok {
			continue
		}
		files, err := filepath.Glob(pattern)
		if err != nil {
			return err
		}
		sort.Strings(files)
		for _, f := range files {
			if err := c.loadMacroFile(f); err != nil {
				return err
			}
		}
	}
	return nil
}

// vendorDir finds the vendor directory: the only subdirectory of dir, other
// than rpm's own ones, that holds a macros file.
func vendorDir(dir string) string {
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		switch e.Name() {
		case "platform", "macros.d", "lua", "fileattrs":
			continue
		}
		if st, err := os.Stat(filepath.Join(dir, e.Name(), "macros")); err == nil && !st.IsDir() {
			return e.Name()
		}
	}
	return "vendor"
}

// LoadFile reads a macro file (as %{load:} does). The file must lie under
// the configuration directory or one of the context's roots.
func (c *Context) LoadFile(_ context.Context, path string) error {
	if _, ok := c.allowedPath(path); !ok {
		return c.errorf("%%{load:%s}: file is outside the allowed directories", path)
	}
	return c.loadMacroFile(path)
}

// loadMacroFile defines every "%name body" entry of a macro file.
func (c *Context) loadMacroFile(path string) error {
	data, err := c.readAllowed(path)
	if err != nil {
		return c.errorf("%v", err)
	}
	savedFile, savedLine := c.file, c.line
	defer c.SetPos(savedFile, savedLine)
	sc := bufio.NewScanner(strings.NewReader(string(data)))
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	var buf strings.Builder
	lineNo, start := 0, 0
	for sc.Scan() {
		lineNo++
		if buf.Len() == 0 {
			start = lineNo
		}
		buf.WriteString(sc.Text())
		if continues(buf.String()) {
			buf.WriteByte('\n')
			continue
		}
		c.SetPos(path, start)
		if err := c.defineFileEntry(buf.String()); err != nil {
			return err
		}
		buf.Reset()
	}
	if buf.Len() > 0 {
		c.SetPos(path, start)
		return c.defineFileEntry(buf.String())
	}
	return nil
}

// continues reports whether a macro file line continues on the next line: it
// ends with a backslash or leaves a %{ or %( open.
func continues(s string) bool {
	if strings.HasSuffix(s, "\\") {
		return true
	}
	return definitionLen(s+"\n") > len(s)
}

func (c *Context) defineFileEntry(s string) error {
	t := strings.TrimLeft(s, " \t")
	if !strings.HasPrefix(t, "%") {
		return nil
	}
	return c.defineFrom(nil, t[1:], macroLevelFiles, false)
}

// readAllowed reads a file after checking, with symlinks resolved, that it
// lies under an allowed root.
func (c *Context) readAllowed(path string) ([]byte, error) {
	if _, ok := c.allowedPath(path); !ok {
		return nil, fmt.Errorf("%s: outside the allowed directories", path)
	}
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return nil, err
	}
	if !c.realAllowed(real) {
		return nil, fmt.Errorf("%s: resolves outside the allowed directories", path)
	}
	return os.ReadFile(real)
}

// realAllowed checks a symlink-free path against the roots, also resolved.
func (c *Context) realAllowed(real string) bool {
	for _, r := range append([]string{c.base.confDir}, c.opts.Roots...) {
		if r == "" {
			continue
		}
		rr, err := filepath.EvalSymlinks(r)
		if err != nil {
			continue
		}
		if real == rr || strings.HasPrefix(real, rr+string(filepath.Separator)) {
			return true
		}
	}
	return false
}
