package prepare

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/azlforge/azldev/internal/resolve"
	"github.com/azlforge/azldev/internal/source/lookaside"
	"github.com/azlforge/azldev/internal/source/sourcesfile"
	"github.com/azlforge/azldev/internal/source/upstream"
)

// DownloadRequest downloads the lookaside files a dist-git directory's
// sources file lists.
type DownloadRequest struct {
	Dir       string             // holds the sources file
	OutputDir string             // where the files go ("" = Dir)
	Template  string             // lookaside URI template; "" takes Component's
	Package   string             // $pkg; "" takes Component's, else the spec or directory name
	Component *resolve.Component // optional: the component whose upstream names the lookaside
	Resolver  *resolve.Resolver  // needed with Component
}

// DownloadSources downloads (and verifies) every file of req.Dir's sources
// file into the output directory, copying the sources file there first.
// It returns the package name and output directory used.
func DownloadSources(ctx context.Context, d *lookaside.Downloader, req DownloadRequest) (pkg, outDir string, err error) {
	template, pkg := req.Template, req.Package
	if req.Component != nil {
		ref, err := upstream.RefOf(req.Resolver.Config(), req.Component)
		if err != nil {
			return "", "", err
		}
		template, pkg = ref.LookasideTemplate, ref.Package
	}
	if pkg == "" {
		pkg = packageNameIn(req.Dir)
	}
	outDir = req.OutputDir
	if outDir == "" {
		outDir = req.Dir
	}
	if err := stageSourcesFile(req.Dir, outDir); err != nil {
		return "", "", err
	}
	return pkg, outDir, d.FetchSources(ctx, outDir, pkg, template, nil)
}

// packageNameIn guesses the package name of a dist-git directory: its only
// spec's name, else the directory's name.
func packageNameIn(dir string) string {
	if specs, _ := filepath.Glob(filepath.Join(dir, "*.spec")); len(specs) == 1 {
		return strings.TrimSuffix(filepath.Base(specs[0]), ".spec")
	}
	return filepath.Base(absPath(dir))
}

// stageSourcesFile copies dir's sources file into outDir when they differ.
func stageSourcesFile(dir, outDir string) error {
	data, err := os.ReadFile(filepath.Join(dir, sourcesfile.FileName))
	if err != nil {
		return fmt.Errorf("reading the sources file: %w", err)
	}
	if absPath(dir) == absPath(outDir) {
		return nil
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(outDir, sourcesfile.FileName), data, 0o644)
}

func absPath(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}
