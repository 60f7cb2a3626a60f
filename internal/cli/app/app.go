// Package app holds what every azldev command shares: global options, output
// streams, logging, the lazily loaded project and its resolver, progress
// bars and the component selection flags.
package app

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"

	"golang.org/x/term"

	"github.com/azlforge/azldev/internal/cli/output"
	"github.com/azlforge/azldev/internal/config"
	"github.com/azlforge/azldev/internal/config/cache"
	"github.com/azlforge/azldev/internal/resolve"
	"github.com/azlforge/azldev/internal/source/distgit"
	"github.com/azlforge/azldev/internal/source/lookaside"
)

// GlobalOptions are the flags every command accepts.
type GlobalOptions struct {
	Project         string
	ConfigFiles     []string
	Permissive      bool
	NoDefaultConfig bool
	OutputFormat    string
	Quiet           bool
	Verbose         bool
	DryRun          bool
	AcceptAll       bool
	Color           string
	NetworkRetries  int
}

// App carries what commands share: options, streams, logger and the lazily loaded project.
type App struct {
	Opts   GlobalOptions
	Stdout io.Writer
	Stderr io.Writer
	Log    *slog.Logger

	cfg       *config.Config
	resolver  *resolve.Resolver
	distgit   *distgit.Provider
	downloads *lookaside.Downloader
	logFile   *os.File
}

// New returns an App writing to the given streams.
func New(stdout, stderr io.Writer) *App {
	return &App{Stdout: stdout, Stderr: stderr, Opts: GlobalOptions{OutputFormat: "table", Color: "auto", NetworkRetries: 3}}
}

// errNeedProject wraps failures to find or load the project configuration.
var errNeedProject = errors.New("a valid project and configuration are required to execute this command")

// Config loads (once) and returns the complete project configuration.
func (a *App) Config() (*config.Config, error) {
	cfg, err := a.Project()
	if err != nil {
		return nil, err
	}
	if err := cfg.LoadComponents(); err != nil {
		return nil, fmt.Errorf("%w\n%w", err, errNeedProject)
	}
	return cfg, nil
}

// Project loads (once) the project configuration through the configuration
// cache: its components may be decoded only when asked for (Component,
// ComponentNames), until LoadComponents.
func (a *App) Project() (*config.Config, error) {
	if a.cfg != nil {
		return a.cfg, nil
	}
	start := a.Opts.Project
	if start == "" {
		wd, err := os.Getwd()
		if err != nil {
			return nil, err
		}
		start = wd
	}
	opts := config.Options{
		StartDir:   start,
		ExtraFiles: a.Opts.ConfigFiles,
		NoDefaults: a.Opts.NoDefaultConfig,
		Permissive: a.Opts.Permissive,
		HostArch:   HostArch(),
		UserConfig: config.UserConfigPath(),
	}
	cfg, err := cache.Load(opts)
	if err != nil {
		return nil, fmt.Errorf("%w\n%w", err, errNeedProject)
	}
	if cfg.FromCache() {
		a.Log.Debug("Configuration loaded from the cache", "root", cfg.RootFile)
	}
	for _, w := range cfg.Warnings {
		a.Log.Warn(w)
	}
	a.cfg = cfg
	a.openLogFile()
	return cfg, nil
}

// Resolver returns the component resolver of the project.
func (a *App) Resolver() (*resolve.Resolver, error) {
	if a.resolver != nil {
		return a.resolver, nil
	}
	cfg, err := a.Project()
	if err != nil {
		return nil, err
	}
	r, err := resolve.New(cfg, a.Opts.Permissive)
	if err != nil {
		return nil, err
	}
	a.resolver = r
	return r, nil
}

// Output returns a writer for results in the selected format.
func (a *App) Output() (*output.Writer, error) {
	f, err := output.ParseFormat(a.Opts.OutputFormat)
	if err != nil {
		return nil, err
	}
	return &output.Writer{Out: a.Stdout, Format: f, Width: a.terminalWidth()}, nil
}

// SetupLogging configures the console logger from -q, -v and --color.
func (a *App) SetupLogging() {
	level := slog.LevelInfo
	if a.Opts.Quiet {
		level = slog.LevelWarn
	}
	if a.Opts.Verbose {
		level = slog.LevelDebug
	}
	a.Log = slog.New(newConsoleHandler(a.Stderr, level, a.UseColor(a.Stderr)))
}

// openLogFile adds <log-dir>/azldev.log at debug level. A read-only project
// (such as a checked-out tree on a read-only mount) only gets a debug note.
func (a *App) openLogFile() {
	dir := a.cfg.Project.LogDir
	if a.Opts.DryRun || dir == "" {
		return
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		a.Log.Debug("Not writing a log file", "dir", dir, "error", err)
		return
	}
	f, err := os.Create(filepath.Join(dir, "azldev.log"))
	if err != nil {
		a.Log.Debug("Not writing a log file", "dir", dir, "error", err)
		return
	}
	a.logFile = f
	file := slog.NewTextHandler(f, &slog.HandlerOptions{Level: slog.LevelDebug})
	a.Log = slog.New(fanout{a.Log.Handler(), file})
}

// Close releases the log file.
func (a *App) Close() {
	if a.logFile != nil {
		a.logFile.Close()
	}
}

// UseColor reports whether output to w is colored (--color, NO_COLOR, a terminal).
func (a *App) UseColor(w io.Writer) bool {
	switch a.Opts.Color {
	case "always":
		return true
	case "never":
		return false
	}
	if os.Getenv("NO_COLOR") != "" {
		return false
	}
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func (a *App) terminalWidth() int {
	f, ok := a.Stdout.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return 0
	}
	w, _, err := term.GetSize(int(f.Fd()))
	if err != nil {
		return 0
	}
	return w
}

// HostArch maps the Go architecture to the RPM one (x86_64, aarch64).
func HostArch() string {
	switch runtime.GOARCH {
	case "amd64":
		return "x86_64"
	case "arm64":
		return "aarch64"
	}
	return runtime.GOARCH
}

// ResolverIfLoaded returns the resolver when a command created one, else nil.
func (a *App) ResolverIfLoaded() *resolve.Resolver { return a.resolver }
