package autospec

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/azlforge/azldev/internal/foundation/git"
	"github.com/azlforge/azldev/internal/foundation/safepath"
)

// Facts are the two strings rpmautospec asks rpm for about one spec.
type Facts struct {
	// EpochVersion is the query format `%|epoch?{%{epoch}:}:{}|%{version}`
	// (so `Epoch: 0` gives "0:1.0").
	EpochVersion string
	// Release is the expanded value of the Release tag.
	Release string
}

// SpecFacts evaluates specs as rpm does in the build root (§2.3 of
// RPMAUTOSPEC.md). The implementation must:
//
//   - parse with the build root's macros, plus these definitions, which
//     win over the build root's:
//     `%define autorelease(e:s:pb:n) E%{?-e*}_S%{?-s*}_P%{?-p:1}%{!?-p:0}_B%{?-b*}`,
//     `autochangelog` = `%nil`, `_invalid_encoding_terminates_build` = `0`,
//     `__python` = `/usr/bin/python3.14`, `python_sitelib` =
//     `/usr/lib/python3.14/site-packages`, and `_sourcedir` = `_builddir` =
//     a directory holding the spec and exactly the files files can read;
//   - first parse an abridged copy (every line before the first line that
//     is exactly `%prep` once stripped of white space), and when that fails
//     the whole spec;
//   - return a non-nil error when both fail: it means "unparseable" (any
//     error does, except the context's own).
//
// files reads the other files of the spec's directory; it may hold none.
// Facts may be called concurrently only if the implementation allows it;
// this package calls it sequentially.
type SpecFacts interface {
	Facts(ctx context.Context, spec []byte, files TreeReader) (Facts, error)
}

// TreeReader reads the files beside a spec (for %include and %{load:}).
type TreeReader interface {
	// ReadFile returns the content of the file at name, a slash-separated
	// path relative to the spec's directory (fs.ValidPath); an error
	// wrapping fs.ErrNotExist when there is no such file.
	ReadFile(ctx context.Context, name string) ([]byte, error)
}

// DirReader is a TreeReader whose files are those of a directory on disk;
// an engine that reads files itself may use the directory directly.
type DirReader interface {
	TreeReader
	Dir() string
}

// Materializer is a TreeReader that can write its regular files into a
// directory (for engines that read %include and %{load:} files from disk).
type Materializer interface {
	TreeReader
	Materialize(ctx context.Context, dir string) error
}

// noFiles is an empty directory.
type noFiles struct{}

func (noFiles) ReadFile(_ context.Context, name string) ([]byte, error) {
	return nil, &fs.PathError{Op: "read", Path: name, Err: fs.ErrNotExist}
}

// treeFiles reads files of a git tree.
type treeFiles struct {
	repo git.Repo
	tree string
}

func (t treeFiles) ReadFile(ctx context.Context, name string) ([]byte, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "read", Path: name, Err: fs.ErrInvalid}
	}
	objs, err := t.repo.ReadObjects(ctx, []string{t.tree + ":" + name})
	if err != nil {
		return nil, err
	}
	if objs[0] == nil {
		return nil, &fs.PathError{Op: "read", Path: name, Err: fs.ErrNotExist}
	}
	return objs[0], nil
}

// Materialize writes the tree's regular files (modes kept, symbolic links
// and submodules left out) below dir.
func (t treeFiles) Materialize(ctx context.Context, dir string) error {
	out, err := t.repo.Run(ctx, "ls-tree", "-r", "-z", t.tree)
	if err != nil {
		return err
	}
	var entries []treeEntry
	for _, rec := range strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00") {
		if rec == "" {
			continue
		}
		e, err := parseTreeEntry(rec)
		if err != nil {
			return err
		}
		if e.mode == "100644" || e.mode == "100755" {
			entries = append(entries, e)
		}
	}
	ids := make([]string, len(entries))
	for i, e := range entries {
		ids[i] = e.id
	}
	blobs, err := t.repo.ReadObjects(ctx, ids)
	if err != nil {
		return err
	}
	for i, e := range entries {
		if err := writeTreeFile(dir, e, blobs[i]); err != nil {
			return err
		}
	}
	return nil
}

// writeTreeFile writes one blob below dir, refusing paths that leave it.
func writeTreeFile(dir string, e treeEntry, data []byte) error {
	p, err := safepath.Join(dir, e.path)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	mode := os.FileMode(0o644)
	if e.mode == "100755" {
		mode = 0o755
	}
	return os.WriteFile(p, data, mode)
}

// dirFiles reads files below a directory, symbolic links confined to it.
type dirFiles struct{ dir string }

// Dir is the directory the files are read from.
func (d dirFiles) Dir() string { return d.dir }

func (d dirFiles) ReadFile(_ context.Context, name string) ([]byte, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "read", Path: name, Err: fs.ErrInvalid}
	}
	p, err := safepath.Join(d.dir, name)
	if err != nil {
		return nil, err
	}
	return os.ReadFile(p)
}

// blobBatch bounds how many spec blobs one cat-file reads (and memory holds).
const blobBatch = 256

// factCache evaluates each spec blob once: alone, and only when that
// fails, once more per tree with the tree's files (as rpmautospec checks
// out the whole commit for %include and %{load:}).
type factCache struct {
	engine SpecFacts
	repo   git.Repo
	alone  map[string]verflags // by blob id
	failed map[string][]byte   // content of the blobs that failed alone
	inTree map[[2]string]verflags
}

// newFactCache evaluates every distinct spec blob of h on its own,
// reading the blobs with one cat-file per blobBatch of them.
func newFactCache(ctx context.Context, engine SpecFacts, repo git.Repo, h history) (*factCache, error) {
	fc := &factCache{engine: engine, repo: repo, alone: map[string]verflags{},
		failed: map[string][]byte{}, inTree: map[[2]string]verflags{}}
	var ids []string
	seen := map[string]bool{}
	for _, c := range h {
		if c.specBlob != "" && !seen[c.specBlob] {
			seen[c.specBlob] = true
			ids = append(ids, c.specBlob)
		}
	}
	for len(ids) > 0 {
		batch := ids[:min(blobBatch, len(ids))]
		ids = ids[len(batch):]
		specs, err := repo.ReadObjects(ctx, batch)
		if err != nil {
			return nil, err
		}
		for i, id := range batch {
			v, err := evaluate(ctx, engine, specs[i], noFiles{})
			if err != nil {
				return nil, err
			}
			fc.alone[id] = v
			if !v.known {
				fc.failed[id] = specs[i]
			}
		}
	}
	return fc, nil
}

// flags returns the facts of c's spec.
func (fc *factCache) flags(ctx context.Context, c *commit) (verflags, error) {
	if c.specBlob == "" {
		return unknownFlags, nil
	}
	if v := fc.alone[c.specBlob]; v.known {
		return v, nil
	}
	key := [2]string{c.specBlob, c.tree}
	if v, ok := fc.inTree[key]; ok {
		return v, nil
	}
	v, err := evaluate(ctx, fc.engine, fc.failed[c.specBlob], treeFiles{fc.repo, c.tree})
	fc.inTree[key] = v
	return v, err
}

// evaluate asks the engine about one spec; only the context's error is an
// error, any other failure makes the spec unparseable.
func evaluate(ctx context.Context, engine SpecFacts, spec []byte, files TreeReader) (verflags, error) {
	f, err := engine.Facts(ctx, spec, files)
	if err != nil {
		return unknownFlags, ctx.Err()
	}
	return parseFacts(f), nil
}
