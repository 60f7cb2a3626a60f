package componenthistory

import (
	"context"
	"maps"
	"slices"
	"strconv"

	"github.com/azlforge/azldev/internal/config"
	"github.com/azlforge/azldev/internal/foundation/parallel"
	"github.com/azlforge/azldev/internal/resolve"
)

// Item is one customization of a component.
type Item struct {
	Kind           string `json:"kind"`                     // "overlay", "build", "source-file" or "pin"
	Type           string `json:"type"`                     // the overlay type, build option, origin type or pinned field
	Value          string `json:"value,omitempty"`          // the overlay's description, the option's value, the file name, the commit
	Category       string `json:"category,omitempty"`       // overlay metadata
	UpstreamStatus string `json:"upstreamStatus,omitempty"` // overlay metadata
	File           string `json:"file"`                     // the file declaring it
	Group          string `json:"group,omitempty"`          // the group whose defaults carry it
	Shared         bool   `json:"shared,omitempty"`         // it comes from a group's defaults
}

// profile is a component's configuration files (absolute paths, in the
// order of files) and customizations.
type profile struct {
	name  string
	paths []string
	files []File
	items []Item
}

// readProfiles gathers the files and customizations of every requested component.
func readProfiles(ctx context.Context, req Request) ([]profile, error) {
	r := req.Resolver
	cfg := r.Config()
	perFile := map[string]int{}
	for _, n := range cfg.ComponentNames() {
		perFile[cfg.ComponentFile(n)]++
	}
	return parallel.Map(ctx, req.Components, parallel.Options{}, func(_ context.Context, _ int, name string) (profile, error) {
		p := profile{name: name}
		if err := p.read(r, perFile); err != nil {
			return p, err
		}
		if req.Shared == SharedOmit {
			p.dropShared()
		}
		return p, nil
	})
}

// read fills p from the component's declaration, its overlay documents and
// the defaults of its groups.
func (p *profile) read(r *resolve.Resolver, perFile map[string]int) error {
	cfg := r.Config()
	if file := cfg.ComponentFile(p.name); file != "" {
		own, _, err := cfg.Component(p.name)
		if err != nil {
			return err
		}
		p.addFile(cfg, file, "component", perFile[file] > 1)
		p.addItems(configItems(own, Item{File: cfg.Display(file)}))
	}
	docs, err := r.OverlayFiles(p.name)
	if err != nil {
		return err
	}
	for _, d := range docs {
		p.addFile(cfg, d.Path, "overlay-file", false)
		p.addItems(overlayItems(d.Overlays, Item{File: cfg.Display(d.Path)}))
	}
	for _, g := range r.GroupsOf(p.name) {
		items := configItems(&cfg.ComponentGroups[g].DefaultComponentConfig, Item{File: cfg.Display(cfg.GroupFiles[g]), Group: g, Shared: true})
		if len(items) > 0 {
			p.addFile(cfg, cfg.GroupFiles[g], "group", true)
			p.addItems(items)
		}
	}
	return nil
}

// addFile records a configuration file once (shared if any use of it is).
func (p *profile) addFile(cfg *config.Config, path, kind string, shared bool) {
	if i := slices.Index(p.paths, path); i >= 0 {
		p.files[i].Shared = p.files[i].Shared || shared
		return
	}
	p.paths = append(p.paths, path)
	p.files = append(p.files, File{Path: cfg.Display(path), Kind: kind, Shared: shared})
}

func (p *profile) addItems(items []Item) { p.items = append(p.items, items...) }

// dropShared leaves out shared files and customizations.
func (p *profile) dropShared() {
	var paths []string
	var files []File
	for i, f := range p.files {
		if !f.Shared {
			paths, files = append(paths, p.paths[i]), append(files, f)
		}
	}
	p.paths, p.files = paths, files
	p.items = slices.DeleteFunc(p.items, func(it Item) bool { return it.Shared })
}

// configItems lists the customizations a component configuration declares;
// each item starts as a copy of base.
func configItems(cc *config.ComponentConfig, base Item) []Item {
	items := overlayItems(cc.Overlays, base)
	add := func(kind, typ, value string) {
		it := base
		it.Kind, it.Type, it.Value = kind, typ, value
		items = append(items, it)
	}
	b := &cc.Build
	for _, w := range b.With {
		add("build", "with", w)
	}
	for _, w := range b.Without {
		add("build", "without", w)
	}
	for _, k := range slices.Sorted(maps.Keys(b.Defines)) {
		add("build", "define", k+"="+b.Defines[k])
	}
	for _, u := range b.Undefines {
		add("build", "undefine", u)
	}
	if b.Check.Skip {
		add("build", "check-skip", b.Check.SkipReason)
	}
	if b.Failure.Expected {
		add("build", "expected-failure", b.Failure.ExpectedReason)
	}
	if b.Hints.Expensive {
		add("build", "expensive", strconv.FormatBool(true))
	}
	if b.EmitUpstreamProvenance {
		add("build", "upstream-provenance", strconv.FormatBool(true))
	}
	for _, sf := range cc.SourceFiles {
		add("source-file", sf.Origin.Type, sf.Filename)
	}
	if c := cc.Spec.UpstreamCommit; c != "" {
		add("pin", "upstream-commit", c)
	}
	return items
}

// overlayItems lists overlays with their metadata.
func overlayItems(overlays []config.ComponentOverlay, base Item) []Item {
	items := make([]Item, 0, len(overlays))
	for _, o := range overlays {
		it := base
		it.Kind, it.Type, it.Value = "overlay", o.Type, o.Description
		if o.Metadata != nil {
			it.Category, it.UpstreamStatus = o.Metadata.Category, o.Metadata.UpstreamStatus
		}
		items = append(items, it)
	}
	return items
}
