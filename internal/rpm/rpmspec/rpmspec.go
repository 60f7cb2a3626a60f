// Package rpmspec evaluates RPM spec files the way `rpmspec -P` (rpm 4.18)
// does, on top of the pure-Go macro engine in package macro: it expands every
// line, honours line-level conditionals and %include, and collects the facts
// other tools ask rpm for (name, EVR, sources and patches, subpackages,
// dependencies).
package rpmspec

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/azlforge/azldev/internal/rpm/macro"
)

// Options configure one evaluation.
type Options struct {
	// File names the spec in error messages.
	File string
	// SourceDir is the spec's directory: %_sourcedir, the base of relative
	// %include paths and a root the sandbox may read from.
	SourceDir string
	// Defines are applied before parsing, like rpm --define "name body".
	Defines []string
	// Macro holds further macro context options (extra roots, environment,
	// shell runner).
	Macro macro.Options
}

// Source is one Source or Patch entry.
type Source struct {
	Num   int
	Value string
	// NoSource is set when a NoSource/NoPatch tag names the entry.
	NoSource bool
}

// Package is the main package or a subpackage.
type Package struct {
	Name     string
	Summary  string
	Requires []string
	Provides []string
	// BuildArch lists the package's BuildArch values.
	BuildArch []string
}

// Result is the outcome of evaluating a spec.
type Result struct {
	// Text is the expanded spec, as rpmspec -P prints it.
	Text    string
	Name    string
	Epoch   string
	Version string
	Release string
	Summary string
	License string
	URL     string
	// Sources and Patches are in the order the spec defines them.
	Sources       []Source
	Patches       []Source
	BuildRequires []string
	// Packages holds the main package first, then subpackages in order.
	Packages []Package
	Warnings []macro.Warning
}

// Subpackages returns the names of the packages after the main one.
func (r *Result) Subpackages() []string {
	var out []string
	for _, p := range r.Packages[1:] {
		out = append(out, p.Name)
	}
	return out
}

// EVR returns [epoch:]version-release.
func (r *Result) EVR() string {
	s := r.Version + "-" + r.Release
	if r.Epoch != "" {
		s = r.Epoch + ":" + s
	}
	return s
}

// SpectoolList returns what `spectool -l -a` prints: every source then
// every patch (NoSource/NoPatch entries left out), sorted by number, as
// "Source<N>: <value>" / "Patch<N>: <value>".
func (r *Result) SpectoolList() []string {
	var out []string
	for _, kind := range []struct {
		tag  string
		list []Source
	}{{"Source", r.Sources}, {"Patch", r.Patches}} {
		l := append([]Source(nil), kind.list...)
		sort.SliceStable(l, func(i, j int) bool { return l[i].Num < l[j].Num })
		for _, s := range l {
			if !s.NoSource {
				out = append(out, fmt.Sprintf("%s%d: %s", kind.tag, s.Num, s.Value))
			}
		}
	}
	return out
}

// Parse evaluates spec text in a fresh context over base.
func Parse(ctx context.Context, base *macro.Base, spec []byte, opts Options) (*Result, error) {
	mopts := opts.Macro
	if opts.SourceDir != "" {
		mopts.Roots = append(append([]string(nil), mopts.Roots...), opts.SourceDir)
	}
	c := base.NewContext(mopts)
	defer c.Close()
	if opts.SourceDir != "" {
		c.Define("_sourcedir", opts.SourceDir)
	}
	for _, d := range opts.Defines {
		if err := c.DefineLine(d); err != nil {
			return nil, err
		}
	}
	p := newParser(ctx, c, opts)
	p.out.Grow(len(spec))
	if err := p.run(string(spec)); err != nil {
		return nil, err
	}
	if p.buildArchs != nil {
		var err error
		if p, err = reread(ctx, c, opts, p, spec); err != nil {
			return nil, err
		}
	}
	p.res.Warnings = c.Warnings()
	return p.res, nil
}

// reread does what rpm does when the main package has a BuildArch tag: the
// first pass stops after the tag, and the spec is read again from the start
// with %_target_cpu set to the first compatible architecture (the target's
// or noarch), in the same macro context, so that macros defined by the
// first pass are visible from the start of the second.
func reread(ctx context.Context, c *macro.Context, opts Options, first *parser, spec []byte) (*parser, error) {
	target, _ := c.Expand(ctx, "%{_target_cpu}")
	i := slices.IndexFunc(first.buildArchs, func(a string) bool { return a == target || a == "noarch" })
	if i < 0 {
		return nil, first.errorf("No compatible architectures found for build")
	}
	c.Define("_target_cpu", first.buildArchs[i])
	defer c.Undefine("_target_cpu")
	p := newParser(ctx, c, opts)
	p.rereading = true
	p.out.Grow(len(spec))
	return p, p.run(string(spec))
}

// EvalString expands s in the context a spec would see before its first
// line (useful for queries such as %{?dist}).
func EvalString(ctx context.Context, base *macro.Base, s string, opts Options) (string, error) {
	c := base.NewContext(opts.Macro)
	defer c.Close()
	if opts.SourceDir != "" {
		c.Define("_sourcedir", opts.SourceDir)
	}
	return c.Expand(ctx, s)
}

// splitDeps splits a dependency tag value into single dependencies:
// "a >= 1, b (c or d)" gives "a >= 1", "b", "(c or d)".
func splitDeps(v string) []string {
	var out []string
	toks := depTokens(v)
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if i+2 < len(toks) && isDepOp(toks[i+1]) && !strings.HasPrefix(t, "(") {
			t = t + " " + toks[i+1] + " " + toks[i+2]
			i += 2
		}
		out = append(out, t)
	}
	return out
}

func isDepOp(s string) bool {
	switch s {
	case "<", ">", "<=", ">=", "=", "==":
		return true
	}
	return false
}

// depTokens splits on blanks and commas, keeping parenthesised rich
// dependencies whole.
func depTokens(v string) []string {
	var out []string
	depth, start := 0, -1
	for i := 0; i <= len(v); i++ {
		var ch byte = ' '
		if i < len(v) {
			ch = v[i]
		}
		switch {
		case ch == '(':
			depth++
		case ch == ')' && depth > 0:
			depth--
		}
		sep := depth == 0 && (ch == ' ' || ch == '\t' || ch == ',' || ch == '\n')
		switch {
		case sep && start >= 0:
			out = append(out, v[start:i])
			start = -1
		case !sep && start < 0:
			start = i
		}
	}
	return out
}
