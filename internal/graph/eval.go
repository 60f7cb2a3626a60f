package graph

import (
	"context"
	"strings"

	"github.com/azlforge/azldev/internal/rpm/macro"
	"github.com/azlforge/azldev/internal/rpm/rpmspec"
)

// Spec is what the graph needs of one component's spec.
type Spec struct {
	Component     string    `json:"component"`
	BuildRequires []string  `json:"buildRequires"`
	Packages      []Package `json:"packages"`
	// DynamicBuildRequires is set for specs with %generate_buildrequires,
	// whose further BuildRequires appear only when sources are unpacked.
	DynamicBuildRequires bool `json:"dynamicBuildRequires,omitempty"`
	// Source says where the spec was read from: "rendered", "prepared" or
	// "spec" (a spec tree read directly).
	Source string `json:"specSource,omitempty"`
	// Error is why the spec could not be read or evaluated; such a
	// component has no requirements and provides only its own name.
	Error string `json:"error,omitempty"`
}

// Package is a binary package a spec declares.
type Package struct {
	Name     string   `json:"name"`
	Provides []string `json:"provides,omitempty"`
}

// Evaluator evaluates specs for their dependencies with the macro engine.
type Evaluator struct {
	base    *macro.Base
	defines []string
}

// NewEvaluator evaluates specs over base. %dist is fixed to its value
// before any spec (rpm's definition runs a 10,000-step Lua loop each time
// it is expanded, and only release strings, which the graph ignores, would
// see the difference).
func NewEvaluator(ctx context.Context, base *macro.Base) (*Evaluator, error) {
	dist, err := rpmspec.EvalString(ctx, base, "%{?dist}", rpmspec.Options{})
	if err != nil {
		return nil, err
	}
	if dist == "" {
		dist = "%{nil}" // a macro body may not be empty
	}
	return &Evaluator{base: base, defines: []string{"dist " + dist}}, nil
}

// Eval evaluates the spec text of component; dir is the spec's directory
// (its %include files and %_sourcedir). The abridged spec is evaluated
// first and, when that fails, the whole spec.
func (e *Evaluator) Eval(ctx context.Context, component string, spec []byte, dir, file string) (Spec, error) {
	ab := abridge(spec)
	opts := rpmspec.Options{File: file, SourceDir: dir, Defines: e.defines}
	res, err := rpmspec.Parse(ctx, e.base, ab.text, opts)
	if err != nil && ctx.Err() == nil {
		res, err = rpmspec.Parse(ctx, e.base, spec, opts)
	}
	if err != nil {
		return Spec{}, err
	}
	return specOf(component, res, ab.dynamic), nil
}

// specOf keeps the dependency facts of an evaluated spec.
func specOf(component string, res *rpmspec.Result, dynamic bool) Spec {
	s := Spec{Component: component, BuildRequires: res.BuildRequires, DynamicBuildRequires: dynamic}
	for _, p := range res.Packages {
		if p.Name != "" {
			s.Packages = append(s.Packages, Package{Name: p.Name, Provides: p.Provides})
		}
	}
	return s
}

// failed is the Spec of a component whose spec could not be evaluated.
func failed(component, source string, err error) Spec {
	msg := strings.TrimSpace(err.Error())
	return Spec{Component: component, Source: source, Error: msg, Packages: []Package{{Name: component}}}
}
