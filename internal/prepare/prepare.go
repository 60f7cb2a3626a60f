// Package prepare builds a component's prepared sources directory: the spec
// and every file it needs, with overlays and build configuration applied.
// Work happens in a staging directory that replaces the output only on
// success, so a failure never leaves partial output behind.
package prepare

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/azlforge/azldev/internal/config"
	"github.com/azlforge/azldev/internal/overlay"
	"github.com/azlforge/azldev/internal/resolve"
	"github.com/azlforge/azldev/internal/source/distgit"
	"github.com/azlforge/azldev/internal/source/lookaside"
)

// Options controls one preparation.
type Options struct {
	OutputDir     string
	Force         bool // replace a non-empty output directory
	SkipOverlays  bool
	WithoutGit    bool // no dist-git mode (no synthetic history)
	SkipSources   bool // no lookaside or source-files downloads
	AllowNoHashes bool
	// SkipLockValidation resolves upstream commits when locks are missing or stale.
	SkipLockValidation bool
	// UpstreamRelease, when set, computes the complete release of an
	// %autorelease spec in a pristine dist-git checkout (for the
	// fedora_upstream_release provenance macro).
	UpstreamRelease func(ctx context.Context, specPath string) (string, error)
	Log             *slog.Logger
}

// DistGit reports whether dist-git mode (synthetic history) is on.
func (o *Options) DistGit() bool { return !o.WithoutGit && !o.SkipOverlays }

// Preparer prepares components of one project.
type Preparer struct {
	Config    *config.Config
	DistGit   *distgit.Provider
	Downloads *lookaside.Downloader // nil: nothing is downloaded
	Opts      Options
}

// Prepare writes the prepared sources of comp to the output directory.
func (p *Preparer) Prepare(ctx context.Context, comp *resolve.Component) error {
	out, err := p.outputDir()
	if err != nil {
		return err
	}
	if err := checkOutputDir(out, p.Opts.Force); err != nil {
		return err
	}
	if p.Opts.SkipOverlays {
		p.Opts.Log.Warn("Overlays are skipped: the sources file will not include source-files entries, and dist-git history has no effect")
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return err
	}
	staging, err := os.MkdirTemp(filepath.Dir(out), "."+filepath.Base(out)+".azldev-staging-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(staging)
	if err := p.Stage(ctx, comp, staging); err != nil {
		return err
	}
	return replaceDir(staging, out)
}

// Stage runs the pipeline in dir, an empty directory the caller owns and
// replaces nothing (render stages every component this way). In dist-git
// mode the component's configuration must live in a git repository.
func (p *Preparer) Stage(ctx context.Context, comp *resolve.Component, dir string) error {
	if p.Opts.DistGit() && comp.ConfigFile != "" {
		if _, err := findRepo(comp.ConfigFile); err != nil {
			return err
		}
	}
	return p.build(ctx, comp, dir)
}

// build runs the pipeline in dir.
func (p *Preparer) build(ctx context.Context, comp *resolve.Component, dir string) error {
	if !p.Opts.SkipOverlays {
		if err := checkArchiveOrigins(comp, p.Opts.AllowNoHashes); err != nil {
			return err
		}
	}
	macros, err := p.fetch(ctx, comp, dir)
	if err != nil {
		return err
	}
	specPath := filepath.Join(dir, comp.Name+".spec")
	if _, err := os.Stat(specPath); err != nil {
		return fmt.Errorf("failed to find spec for component `%s` in `%s`", comp.Name, p.Opts.OutputDir)
	}
	if p.Opts.SkipOverlays {
		return nil
	}
	if err := p.applyOverlays(comp, dir, macros); err != nil {
		return err
	}
	if p.Opts.DistGit() {
		return p.addHistory(ctx, comp, dir)
	}
	return nil
}

// applyOverlays applies overlays and build configuration, then rewrites the sources file.
func (p *Preparer) applyOverlays(comp *resolve.Component, dir string, macros map[string]string) error {
	res, err := overlay.Apply(overlay.Target{
		Component:    comp.Name,
		Dir:          dir,
		Config:       &comp.Config,
		Macros:       macros,
		SkipArchives: p.Opts.SkipSources,
		Log:          p.Opts.Log,
	})
	if err != nil {
		return err
	}
	return updateSources(comp, dir, res.Repacked, p.Opts)
}

// fetch copies the component's inputs into dir and returns the upstream
// provenance macros to emit (upstream components only).
func (p *Preparer) fetch(ctx context.Context, comp *resolve.Component, dir string) (map[string]string, error) {
	if comp.Config.Spec.Type != config.SpecTypeUpstream {
		specDir := filepath.Dir(comp.Config.Spec.Path)
		if _, err := os.Stat(comp.Config.Spec.Path); err != nil {
			return nil, fmt.Errorf("component `%s`: spec %s: %w", comp.Name, comp.Config.Spec.Path, errNotFound(err))
		}
		if err := copyTree(specDir, dir); err != nil {
			return nil, err
		}
		return nil, p.download(ctx, comp, dir, comp.Name)
	}
	ref, err := p.fetchUpstream(ctx, comp, dir)
	if err != nil {
		return nil, err
	}
	macros := p.provenanceMacros(ctx, comp, ref, filepath.Join(dir, comp.Name+".spec"))
	return macros, p.download(ctx, comp, dir, ref.Package)
}

func errNotFound(err error) error {
	if errors.Is(err, os.ErrNotExist) {
		return errors.New("file does not exist")
	}
	return err
}

// outputDir returns the absolute output directory, refusing ones whose
// replacement would destroy something else: empty, the filesystem root, or a
// directory containing the project.
func (p *Preparer) outputDir() (string, error) {
	if strings.TrimSpace(p.Opts.OutputDir) == "" {
		return "", errors.New("the output directory must not be empty")
	}
	out, err := filepath.Abs(p.Opts.OutputDir)
	if err != nil {
		return "", err
	}
	if out == "/" {
		return "", errors.New("the output directory must not be the filesystem root")
	}
	if p.Config != nil {
		if rel, err := filepath.Rel(out, p.Config.ProjectDir); err == nil && !strings.HasPrefix(rel, "..") {
			return "", fmt.Errorf("the output directory %s contains the project; choose one that does not", out)
		}
	}
	return out, nil
}

// checkOutputDir refuses a non-empty output directory unless forced.
func checkOutputDir(out string, force bool) error {
	entries, err := os.ReadDir(out)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("output directory %s: %w", out, err)
	case len(entries) > 0 && !force:
		return fmt.Errorf("output directory %s is not empty; use --force to replace it", out)
	}
	return nil
}

// replaceDir moves staging to out, replacing whatever out held.
func replaceDir(staging, out string) error {
	if err := os.RemoveAll(out); err != nil {
		return fmt.Errorf("removing previous output %s: %w", out, err)
	}
	if err := os.Rename(staging, out); err != nil {
		return err
	}
	return os.Chmod(out, 0o755)
}

// findRepo returns the git work tree containing path.
func findRepo(path string) (string, error) {
	dir := filepath.Dir(path)
	for {
		if _, err := os.Lstat(filepath.Join(dir, ".git")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("failed to find project repository for config file `%s`: repository does not exist (use --without-git outside a git repository)", path)
		}
		dir = parent
	}
}
