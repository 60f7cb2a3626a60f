// Package prepare builds a component's prepared sources directory: the spec
// and every file it needs, with overlays and build configuration applied.
// Work happens in a staging directory that replaces the output only on
// success, so a failure never leaves partial output behind, and only an
// empty output or one azldev wrote is replaced (package outdir).
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
	"github.com/azlforge/azldev/internal/foundation/outdir"
	"github.com/azlforge/azldev/internal/foundation/safepath"
	"github.com/azlforge/azldev/internal/overlay"
	"github.com/azlforge/azldev/internal/resolve"
	"github.com/azlforge/azldev/internal/source/distgit"
	"github.com/azlforge/azldev/internal/source/lookaside"
)

// Options controls one preparation.
type Options struct {
	OutputDir     string
	Force         bool // replace a non-empty output directory that azldev wrote
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
	out, err := p.outputDir(comp)
	if err != nil {
		return err
	}
	staging, err := outdir.Stage(out, p.Opts.Force)
	if errors.Is(err, outdir.ErrNotEmpty) {
		return fmt.Errorf("%w; use --force to replace it", err)
	}
	if err != nil {
		return err
	}
	defer staging.Close()
	if p.Opts.SkipOverlays {
		p.Opts.Log.Warn("Overlays are skipped: the sources file will not include source-files entries, and dist-git history has no effect")
	}
	if err := p.Stage(ctx, comp, staging.Dir); err != nil {
		return err
	}
	return staging.Commit()
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
	t := overlay.Target{
		Component:    comp.Name,
		Dir:          dir,
		Config:       &comp.Config,
		Macros:       macros,
		SkipArchives: p.Opts.SkipSources,
		Log:          p.Opts.Log,
	}
	if p.Config != nil {
		t.ProjectDir = p.Config.ProjectDir
	}
	res, err := overlay.Apply(t)
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
		if err := copyTree(p.confinement(specDir), specDir, dir); err != nil {
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

// confinement is the directory symbolic links under dir may lead into and
// be followed: the project, or dir itself when it lies outside the project.
func (p *Preparer) confinement(dir string) string {
	if p.Config != nil && safepath.Within(p.Config.ProjectDir, dir) {
		return p.Config.ProjectDir
	}
	return dir
}

func errNotFound(err error) error {
	if errors.Is(err, os.ErrNotExist) {
		return errors.New("file does not exist")
	}
	return err
}

// outputDir returns the output directory with symbolic links resolved,
// refusing ones whose replacement would destroy something else: the
// filesystem root, a directory containing the working directory or the
// project, or one overlapping a local component's own sources (the staging
// copy would copy itself).
func (p *Preparer) outputDir(comp *resolve.Component) (string, error) {
	if strings.TrimSpace(p.Opts.OutputDir) == "" {
		return "", errors.New("the output directory must not be empty")
	}
	out, err := safepath.Real(p.Opts.OutputDir)
	if err != nil {
		return "", err
	}
	if out == "/" {
		return "", errors.New("the output directory must not be the filesystem root")
	}
	if cwd, err := os.Getwd(); err == nil && contains(out, cwd) {
		return "", fmt.Errorf("the output directory %s contains the working directory; choose one that does not", out)
	}
	if p.Config != nil && contains(out, p.Config.ProjectDir) {
		return "", fmt.Errorf("the output directory %s contains the project; choose one that does not", out)
	}
	if src, ok := localSourceDir(comp); ok && (safepath.Within(out, src) || safepath.Within(src, out)) {
		return "", fmt.Errorf("the output directory %s overlaps the sources of component `%s` (%s); choose one outside them", out, comp.Name, src)
	}
	return out, nil
}

// localSourceDir is the real directory a local component's sources are
// copied from; ok is false for upstream components.
func localSourceDir(comp *resolve.Component) (dir string, ok bool) {
	if comp.Config.Spec.Type == config.SpecTypeUpstream || comp.Config.Spec.Path == "" {
		return "", false
	}
	dir, err := safepath.Real(filepath.Dir(comp.Config.Spec.Path))
	return dir, err == nil
}

// contains reports whether the real directory dir holds p once p's symbolic links are resolved.
func contains(dir, p string) bool {
	real, err := safepath.Real(p)
	return err == nil && safepath.Within(dir, real)
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
