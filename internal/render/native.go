package render

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/azlforge/azldev/internal/rpm/autospec"
	"github.com/azlforge/azldev/internal/rpm/macro"
	"github.com/azlforge/azldev/internal/rpm/rpmspec"
)

// DefaultRPMConfigDir is where rpm keeps its configuration when
// $RPM_CONFIGDIR does not say otherwise.
const DefaultRPMConfigDir = "/usr/lib/rpm"

// NativeProcessor finishes specs without rpm, Python or a chroot: the macro
// engine evaluates specs (sandboxed: an upstream spec's Lua and shell never
// run on the host) and package autospec does what rpmautospec does.
type NativeProcessor struct {
	Base *macro.Base
	// ID names the macro environment (its directory and the state of its
	// files), for the render cache.
	ID  string
	Now func() time.Time // the clock of "Uncommitted changes" entries
	Log *slog.Logger
}

// NewNativeProcessor loads the build root's macro environment from
// $RPM_CONFIGDIR (default /usr/lib/rpm), for the x86_64 target.
func NewNativeProcessor(ctx context.Context, log *slog.Logger) (*NativeProcessor, error) {
	dir := os.Getenv("RPM_CONFIGDIR")
	if dir == "" {
		dir = DefaultRPMConfigDir
	}
	if _, err := os.Stat(dir); err != nil {
		return nil, fmt.Errorf("rendering needs the build root's RPM configuration (macros, macros.d, platform, lua): %w; set RPM_CONFIGDIR to that directory", err)
	}
	base, err := macro.Load(ctx, macro.Config{ConfigDir: dir, Arch: "x86_64"})
	if err != nil {
		return nil, fmt.Errorf("loading the RPM macro configuration from %s: %w", dir, err)
	}
	id, err := treeIdentity(dir)
	if err != nil {
		return nil, err
	}
	return &NativeProcessor{Base: base, Log: log, ID: id}, nil
}

// Autospec expands %autorelease and %autochangelog in place.
func (p *NativeProcessor) Autospec(ctx context.Context, _ string, specPath string) error {
	_, err := autospec.Process(ctx, specPath, autospec.Options{Facts: facts{p.Base}, Now: p.Now})
	return err
}

// Identity names the macro environment.
func (p *NativeProcessor) Identity() string { return p.ID }

// CalculateRelease is what `rpmautospec calculate-release
// --complete-release` prints for the spec (e.g. "6" or "0.4.rc2").
func (p *NativeProcessor) CalculateRelease(ctx context.Context, specPath string) (string, error) {
	complete, _, err := autospec.CalculateRelease(ctx, specPath, autospec.Options{Facts: facts{p.Base}, Now: p.Now})
	return complete, err
}

// SourceValues lists the Source and Patch values as spectool -l -a does,
// with _sourcedir set to the component directory.
func (p *NativeProcessor) SourceValues(ctx context.Context, dir, specPath string) ([]string, error) {
	data, err := os.ReadFile(specPath)
	if err != nil {
		return nil, err
	}
	res, err := rpmspec.Parse(ctx, p.Base, data, rpmspec.Options{File: specPath, SourceDir: dir})
	if err != nil {
		return nil, err
	}
	lines := res.SpectoolList()
	values := make([]string, len(lines))
	for i, l := range lines {
		_, values[i], _ = strings.Cut(l, ": ")
	}
	return values, nil
}

// facts answers rpmautospec's two questions about a spec with the macro
// engine, as autospec.SpecFacts documents.
type facts struct{ base *macro.Base }

// factDefines are rpmautospec's definitions for its queries.
var factDefines = []string{
	"autorelease(e:s:pb:n) E%{?-e*}_S%{?-s*}_P%{?-p:1}%{!?-p:0}_B%{?-b*}",
	"autochangelog %nil",
	"_invalid_encoding_terminates_build 0",
	"__python /usr/bin/python3.14",
	"python_sitelib /usr/lib/python3.14/site-packages",
}

// scratchDir stands for rpmautospec's scratch directory when a spec is
// parsed alone: it does not exist, so no file beside the spec can be read.
const scratchDir = "/nonexistent/rpmautospec-scratch"

func (f facts) Facts(ctx context.Context, spec []byte, files autospec.TreeReader) (autospec.Facts, error) {
	dir, cleanup, err := sourceDir(ctx, files)
	if err != nil {
		return autospec.Facts{}, err
	}
	defer cleanup()
	opts := rpmspec.Options{SourceDir: dir, Defines: append(factDefines, "_builddir "+dir)}
	res, err := rpmspec.Parse(ctx, f.base, abridged(spec), opts)
	if err != nil {
		if ctx.Err() != nil {
			return autospec.Facts{}, ctx.Err()
		}
		res, err = rpmspec.Parse(ctx, f.base, spec, opts)
	}
	if err != nil {
		return autospec.Facts{}, err
	}
	ev := res.Version
	if res.Epoch != "" {
		ev = res.Epoch + ":" + ev
	}
	return autospec.Facts{EpochVersion: ev, Release: res.Release}, nil
}

// sourceDir is the directory the engine reads the spec's neighbours from:
// the work tree itself, a temporary copy of a git tree, or none.
func sourceDir(ctx context.Context, files autospec.TreeReader) (string, func(), error) {
	switch r := files.(type) {
	case autospec.DirReader:
		return r.Dir(), func() {}, nil
	case autospec.Materializer:
		tmp, err := os.MkdirTemp("", "azldev-autospec-")
		if err != nil {
			return "", nil, err
		}
		cleanup := func() { os.RemoveAll(tmp) }
		if err := r.Materialize(ctx, tmp); err != nil {
			cleanup()
			return "", nil, errors.Join(errors.New("reading the commit's files"), err)
		}
		return tmp, cleanup, nil
	}
	return scratchDir, func() {}, nil
}

// abridged is the spec up to, not including, its first line that is
// exactly %prep once stripped.
func abridged(spec []byte) []byte {
	lines := strings.SplitAfter(string(spec), "\n")
	for i, l := range lines {
		if strings.TrimSpace(l) == "%prep" {
			return []byte(strings.Join(lines[:i], ""))
		}
	}
	return spec
}

// treeIdentity digests the names and states of the files below dir.
func treeIdentity(dir string) (string, error) {
	stamps, err := stampTree(dir)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00", dir)
	for _, s := range stamps {
		fmt.Fprintf(h, "%s\x00%d\x00%d\x00%d\x00", s.Path, s.Mode, s.Size, s.MTime)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
