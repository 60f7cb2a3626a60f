// Package autospec is a native re-implementation of rpmautospec 0.8.3
// (with rpmautospec-core 0.2.0): `process-distgit` expands %autorelease
// and %autochangelog from the git history of a spec's directory, and
// `calculate-release` prints the release number. The output is meant to be
// byte-for-byte what rpmautospec writes; RPMAUTOSPEC.md §2 is the
// specification. rpm's own view of each spec comes from a SpecFacts.
package autospec

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/azlforge/azldev/internal/foundation/atomicfile"
	"github.com/azlforge/azldev/internal/foundation/git"
)

// Options configure Process and CalculateRelease.
type Options struct {
	Facts    SpecFacts        // required: rpm's view of a spec
	Now      func() time.Time // the clock for "Uncommitted changes" entries; nil means time.Now
	GitEnv   []string         // extra environment for git, KEY=VALUE
	Packager string           // %packager, author of the entry without a repository; "" means John Doe
}

// ErrUnparseable is wrapped by the error for a current spec (the work
// tree's when it differs from HEAD, else HEAD's) that rpm cannot parse or
// that HEAD lacks.
var ErrUnparseable = errors.New("cannot parse spec file")

// Process rewrites the spec at specPath in place, keeping its mode, as
// `rpmautospec process-distgit <spec> <spec>` does. changed is false when
// the spec needs no processing (then the file is untouched).
func Process(ctx context.Context, specPath string, opts Options) (changed bool, err error) {
	spec, err := os.ReadFile(specPath)
	if err != nil {
		return false, err
	}
	f := Detect(spec)
	if !f.NeedsProcessing() {
		return false, nil
	}
	res, err := analyze(ctx, specPath, spec, opts, f.NeedsChangelog())
	if err != nil {
		return false, err
	}
	out, _ := ProcessBytes(spec, res)
	return true, atomicfile.Replace(specPath, out, 0o644)
}

// CalculateRelease returns what `rpmautospec calculate-release` prints for
// the spec at specPath: the complete release (--complete-release, e.g.
// "0.4.rc2") and the raw number (--number-only).
func CalculateRelease(ctx context.Context, specPath string, opts Options) (complete string, number int, err error) {
	spec, err := os.ReadFile(specPath)
	if err != nil {
		return "", 0, err
	}
	res, err := analyze(ctx, specPath, spec, opts, false)
	return res.Release, res.Number, err
}

// analyze computes the release and, with withChangelog, the changelog
// entries for spec, the current content of specPath.
func analyze(ctx context.Context, specPath string, spec []byte, opts Options, withChangelog bool) (Result, error) {
	if opts.Facts == nil {
		return Result{}, errors.New("autospec: Options.Facts is required")
	}
	dir := filepath.Dir(specPath)
	name := filepath.Base(specPath)
	if !strings.HasSuffix(name, ".spec") {
		return Result{}, fmt.Errorf("%s: not a .spec file", specPath)
	}
	current := func() (verflags, error) {
		v, err := evaluate(ctx, opts.Facts, spec, dirFiles{dir})
		if err == nil && !v.known {
			err = fmt.Errorf("%s: %w", specPath, ErrUnparseable)
		}
		return v, err
	}
	if _, err := os.Lstat(filepath.Join(dir, ".git")); errors.Is(err, fs.ErrNotExist) {
		return noRepository(opts, current)
	}
	repo := git.Repo{Dir: dir, Env: opts.GitEnv}
	h, err := loadHistory(ctx, repo, name)
	if err != nil {
		return Result{}, err
	}
	if err := setFlags(ctx, opts.Facts, repo, h); err != nil {
		return Result{}, err
	}
	h.number()
	dirty, err := isDirty(ctx, repo)
	if err != nil {
		return Result{}, err
	}
	if !dirty {
		return committed(ctx, repo, h, specPath, withChangelog)
	}
	return uncommitted(ctx, repo, h, opts, current, withChangelog)
}

// setFlags evaluates the spec of every commit, each distinct blob once.
func setFlags(ctx context.Context, engine SpecFacts, repo git.Repo, h history) error {
	fc, err := newFactCache(ctx, engine, repo, h)
	if err != nil {
		return err
	}
	for _, c := range h {
		if c.flags, err = fc.flags(ctx, c); err != nil {
			return err
		}
	}
	return nil
}

// noRepository is the result without git: release 1 and one entry by the
// packager.
func noRepository(opts Options, current func() (verflags, error)) (Result, error) {
	v, err := current()
	if err != nil {
		return Result{}, err
	}
	packager := opts.Packager
	if packager == "" {
		packager = defaultPackager
	}
	return worktreeResult(v, 1, packager, opts.now(), nil), nil
}

// committed is the result of a clean work tree: HEAD's.
func committed(ctx context.Context, repo git.Repo, h history, specPath string, withChangelog bool) (Result, error) {
	head := h[0]
	if !head.flags.known {
		return Result{}, fmt.Errorf("%s at HEAD: %w", specPath, ErrUnparseable)
	}
	res := Result{Number: head.number, Release: head.release}
	if withChangelog {
		h.markRemoved(false)
		var err error
		res.Changelog, err = changelogFrom(head, blobReader(ctx, repo))
		return res, err
	}
	return res, nil
}

// uncommitted is the result of a dirty work tree: a pseudo-commit on top
// of HEAD, numbered on from HEAD when the epoch-version stayed the same.
func uncommitted(ctx context.Context, repo git.Repo, h history, opts Options,
	current func() (verflags, error), withChangelog bool) (Result, error) {
	v, err := current()
	if err != nil {
		return Result{}, err
	}
	head := h[0]
	n := 1
	if head.flags.known && head.flags.epochVersion == v.epochVersion {
		n = head.number + 1
	}
	if !withChangelog {
		return Result{Number: n, Release: v.complete(n)}, nil
	}
	user, err := gitUser(ctx, repo)
	if err != nil {
		return Result{}, err
	}
	_, err = os.Stat(filepath.Join(repo.Dir, "changelog"))
	h.markRemoved(err != nil && head.changelog.id != "")
	older, err := changelogFrom(head, blobReader(ctx, repo))
	if err != nil {
		return Result{}, err
	}
	return worktreeResult(v, n, user, opts.now(), older), nil
}

// worktreeResult numbers the work tree n and puts its "Uncommitted
// changes" entry on top of the older ones.
func worktreeResult(v verflags, n int, author string, now time.Time, older []string) Result {
	c := commit{flags: v, release: v.complete(n)}
	entry := formatEntry(now, author, c.evr(), changelogItems(uncommittedMessage))
	return Result{Number: n, Release: c.release, Changelog: append([]string{entry}, older...)}
}

// blobReader reads single objects for verbatim changelog files.
func blobReader(ctx context.Context, repo git.Repo) func(object) ([]byte, error) {
	return func(o object) ([]byte, error) {
		if o.typ != "blob" {
			return nil, fmt.Errorf("changelog in commit tree is a %s, not a file", o.typ)
		}
		objs, err := repo.ReadObjects(ctx, []string{o.id})
		if err != nil {
			return nil, err
		}
		return objs[0], nil
	}
}

// now reads the configured clock.
func (o Options) now() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}
