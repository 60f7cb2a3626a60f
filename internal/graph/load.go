package graph

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/azlforge/azldev/internal/foundation/parallel"
	"github.com/azlforge/azldev/internal/render"
	"github.com/azlforge/azldev/internal/resolve"
)

// Spec sources.
const (
	SourceRendered = "rendered" // the project's rendered-specs tree
	SourcePrepared = "prepared" // prepared in a temporary directory
	SourceTree     = "spec"     // a spec tree read directly (ReadTree)
)

// LoadOptions control how specs are read and evaluated.
type LoadOptions struct {
	Jobs     int // specs evaluated at once (default: one per CPU)
	Progress func(done, total int)
	// Repos are local repositories whose built packages add their exact
	// provides to their components (see addRepoProvides).
	Repos []string
}

// Stager writes a component's prepared sources into an empty directory
// (prepare.Preparer without dist-git history and downloads).
type Stager interface {
	Stage(ctx context.Context, comp *resolve.Component, dir string) error
}

// Loader reads the specs of a project's components: each component's
// rendered spec when the rendered-specs tree has one, else (and for every
// component with Prepare) its sources prepared in a temporary directory.
type Loader struct {
	Eval    *Evaluator
	Stager  Stager
	Prepare bool // prepare every component, ignoring the rendered tree
	Opts    LoadOptions
}

// Load evaluates the specs of comps, in their order. A component whose spec
// cannot be had or evaluated gets a Spec with Error; only cancellation and
// unreadable Opts.Repos are errors.
func (l *Loader) Load(ctx context.Context, comps []*resolve.Component) ([]Spec, error) {
	return evalAll(ctx, comps, l.Opts, func(ctx context.Context, c *resolve.Component) Spec {
		if !l.Prepare {
			if s, err := evalFile(ctx, l.Eval, c.Name, c.RenderedSpecDir, SourceRendered); !errors.Is(err, os.ErrNotExist) {
				return orFailed(c.Name, SourceRendered, s, err)
			}
		}
		s, err := l.prepared(ctx, c)
		return orFailed(c.Name, SourcePrepared, s, err)
	})
}

// prepared stages c in a temporary directory and evaluates its spec there.
func (l *Loader) prepared(ctx context.Context, c *resolve.Component) (Spec, error) {
	if l.Stager == nil {
		return Spec{}, errors.New("no rendered spec, and preparing is not available")
	}
	dir, err := os.MkdirTemp("", "azldev-graph-")
	if err != nil {
		return Spec{}, err
	}
	defer os.RemoveAll(dir)
	if err := l.Stager.Stage(ctx, c, dir); err != nil {
		return Spec{}, fmt.Errorf("preparing sources: %w", err)
	}
	return evalFile(ctx, l.Eval, c.Name, dir, SourcePrepared)
}

// ReadTree evaluates every spec of a rendered-specs tree
// (<root>/<letter>/<name>/<name>.spec; alias links are skipped), sorted by
// component name. A directory holding only the failure marker of `component
// render` gives a component with Error.
func ReadTree(ctx context.Context, ev *Evaluator, root string, opts LoadOptions) ([]Spec, error) {
	root, err := filepath.Abs(root) // the macro engine confines reads to absolute roots
	if err != nil {
		return nil, err
	}
	dirs, err := treeDirs(root)
	if err != nil {
		return nil, err
	}
	return evalAll(ctx, dirs, opts, func(ctx context.Context, dir string) Spec {
		name := filepath.Base(dir)
		s, err := evalFile(ctx, ev, name, dir, SourceTree)
		if err != nil && render.IsFailedMarkerOnly(dir) {
			err = errors.New("rendering failed")
		}
		return orFailed(name, SourceTree, s, err)
	})
}

// treeDirs lists the component directories <root>/<letter>/<name>, sorted.
func treeDirs(root string) ([]string, error) {
	letters, err := os.ReadDir(root)
	if err != nil {
		return nil, err
	}
	var dirs []string
	for _, l := range letters {
		if !l.IsDir() || len(l.Name()) != 1 {
			continue
		}
		entries, err := os.ReadDir(filepath.Join(root, l.Name()))
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			if e.IsDir() {
				dirs = append(dirs, filepath.Join(root, l.Name(), e.Name()))
			}
		}
	}
	return dirs, nil
}

// evalFile reads and evaluates <dir>/<name>.spec.
func evalFile(ctx context.Context, ev *Evaluator, name, dir, source string) (Spec, error) {
	path := filepath.Join(dir, name+".spec")
	data, err := os.ReadFile(path)
	if err != nil {
		return Spec{}, err
	}
	s, err := ev.Eval(ctx, name, data, dir, path)
	s.Source = source
	return s, err
}

// orFailed is s, or the failed Spec of name when err is set.
func orFailed(name, source string, s Spec, err error) Spec {
	if err != nil {
		return failed(name, source, err)
	}
	return s
}

// evalAll runs one evaluation per item, opts.Jobs at a time, then adds
// what opts.Repos provide.
func evalAll[T any](ctx context.Context, items []T, opts LoadOptions, eval func(context.Context, T) Spec) ([]Spec, error) {
	specs, err := parallel.Map(ctx, items, parallel.Options{Limit: opts.Jobs, Mode: parallel.CollectAll, Progress: opts.Progress},
		func(ctx context.Context, _ int, item T) (Spec, error) {
			return eval(ctx, item), nil
		})
	if err != nil {
		return nil, err
	}
	return addRepoProvides(specs, opts.Repos)
}
