package prepare

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/azlforge/azldev/internal/config"
	"github.com/azlforge/azldev/internal/foundation/command"
	"github.com/azlforge/azldev/internal/resolve"
	"github.com/azlforge/azldev/internal/source/lookaside"
	"github.com/azlforge/azldev/internal/source/sourcesfile"
)

// errCustomOrigin explains why a custom-origin file cannot be generated.
func errCustomOrigin() error {
	if err := command.LookPath("mock"); err != nil {
		return fmt.Errorf("the custom origin runs its script in a mock chroot: %w, and join the mock group; or pin the file's hash so it is taken from the lookaside", err)
	}
	return errors.New("generating custom-origin files in a mock chroot is not implemented yet; pin the file's hash so it is taken from the lookaside")
}

// download fetches the component's lookaside files and source-files into dir
// (unless downloads are skipped).
func (p *Preparer) download(ctx context.Context, comp *resolve.Component, dir, pkg string) error {
	if p.Opts.SkipSources || p.Downloads == nil {
		return nil
	}
	distro := resolve.SourceDistro(p.Config, &comp.Config)
	template := distro.LookasideTemplate()
	fetched := map[string]bool{}
	for _, sf := range comp.Config.SourceFiles {
		if sf.Origin.Type == config.OriginDownload || sf.Origin.Type == config.OriginCustom {
			fetched[sf.Filename] = true
		}
	}
	if template != "" {
		if _, err := os.Stat(filepath.Join(dir, sourcesfile.FileName)); err == nil {
			skip := func(name string) bool { return fetched[name] }
			if err := p.Downloads.FetchSources(ctx, dir, pkg, template, skip); err != nil {
				return fmt.Errorf("component `%s`: lookaside: %w", comp.Name, err)
			}
		}
	}
	for _, sf := range comp.Config.SourceFiles {
		if err := p.fetchSourceFile(ctx, comp, dir, pkg, distro, sf); err != nil {
			return fmt.Errorf("component `%s`: source-files %q: %w", comp.Name, sf.Filename, err)
		}
	}
	return nil
}

// fetchSourceFile gets one source-files entry: from the lookaside when its
// hash is pinned, else by its custom script (needs mock), else from its origin URI.
func (p *Preparer) fetchSourceFile(ctx context.Context, comp *resolve.Component, dir, pkg string, distro resolve.Distro, sf config.SourceFileReference) error {
	if sf.Origin.Type == config.OriginOverlay {
		return nil // the archive itself comes from the upstream sources file
	}
	dest := filepath.Join(dir, sf.Filename)
	var lookasideErr error
	if sf.Hash != "" && sf.HashType != "" && sf.Origin.Type != config.OriginCustom && distro.LookasideTemplate() != "" {
		url, err := lookaside.URL(distro.LookasideTemplate(), pkg, sf.Filename, sf.HashType, sf.Hash)
		if err == nil {
			if lookasideErr = p.Downloads.Fetch(ctx, url, dest, sf.HashType, sf.Hash); lookasideErr == nil {
				return nil
			}
			p.Opts.Log.Debug("Not in the lookaside; trying the origin", "component", comp.Name, "file", sf.Filename, "error", lookasideErr)
		}
	}
	if sf.Origin.Type == config.OriginCustom {
		return errCustomOrigin()
	}
	if distro.Definition != nil && distro.Definition.DisableOrigins {
		if lookasideErr != nil {
			return fmt.Errorf("origins are disabled for this distro and the lookaside failed: %w", lookasideErr)
		}
		return errors.New("origins are disabled for this distro and the file has no pinned hash to find it in the lookaside")
	}
	return p.Downloads.FetchURL(ctx, sf.Origin.URI, dest, sf.HashType, sf.Hash)
}
