package graph

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/azlforge/azldev/internal/build/localrepo"
	"github.com/azlforge/azldev/internal/foundation/compression"
)

// primaryPackage is what the graph reads of a <package> of a repository's
// primary metadata.
type primaryPackage struct {
	Name   string `xml:"name"`
	Format struct {
		SourceRPM string `xml:"sourcerpm"`
		Provides  []struct {
			Name string `xml:"name,attr"`
		} `xml:"provides>entry"`
		Files []string `xml:"file"`
	} `xml:"format"`
}

// addRepoProvides adds to each spec the packages local repositories hold
// for its component: built packages provide exactly what their metadata
// says, generated provides (pkgconfig(...), perl(...), sonames) and the
// files primary metadata lists (those in bin directories and /etc)
// included.
func addRepoProvides(specs []Spec, repos []string) ([]Spec, error) {
	index := make(map[string]int, len(specs))
	for i, s := range specs {
		index[s.Component] = i
	}
	for _, repo := range repos {
		byComponent, err := repoPackages(repo)
		if err != nil {
			return nil, fmt.Errorf("reading local repository %s: %w", repo, err)
		}
		for comp, pkgs := range byComponent {
			if i, ok := index[comp]; ok {
				specs[i].Packages = append(specs[i].Packages, pkgs...)
			}
		}
	}
	return specs, nil
}

// repoPackages reads the primary metadata of a repository: the binary
// packages of each source package, by component name.
func repoPackages(dir string) (map[string][]Package, error) {
	path, err := localrepo.PrimaryPath(dir)
	if err != nil {
		return nil, err
	}
	kind, err := compression.Detect(path)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r, release, err := compression.NewReader(f, kind)
	if err != nil {
		return nil, err
	}
	defer release()
	return decodePrimary(r)
}

// decodePrimary streams the <package> elements of primary metadata.
func decodePrimary(r io.Reader) (map[string][]Package, error) {
	out := map[string][]Package{}
	dec := xml.NewDecoder(r)
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		se, ok := tok.(xml.StartElement)
		if !ok || se.Name.Local != "package" {
			continue
		}
		var p primaryPackage
		if err := dec.DecodeElement(&p, &se); err != nil {
			return nil, err
		}
		pkg := Package{Name: p.Name, Provides: p.Format.Files}
		for _, e := range p.Format.Provides {
			pkg.Provides = append(pkg.Provides, e.Name)
		}
		comp := sourceName(p.Format.SourceRPM)
		out[comp] = append(out[comp], pkg)
	}
}

// sourceName is the package name of a source RPM file name
// (foo-1.2-3.azl4.src.rpm → foo).
func sourceName(srpm string) string {
	name := strings.TrimSuffix(srpm, ".src.rpm")
	for range 2 {
		if i := strings.LastIndexByte(name, '-'); i > 0 {
			name = name[:i]
		}
	}
	return name
}
