package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/azlforge/azldev/internal/source/upstream"
)

func newAdvancedCommand(app *App) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "advanced",
		Aliases: []string{"adv"},
		Short:   "Lower-level tools",
		Hidden:  true,
	}
	cmd.AddCommand(newDownloadSourcesCommand(app))
	return cmd
}

func newDownloadSourcesCommand(app *App) *cobra.Command {
	var component, template, pkg, dir, outDir string
	cmd := &cobra.Command{
		Use:   "download-sources",
		Short: "Download the lookaside files listed in a directory's sources file",
		Long: `Read <dir>/sources and download every file it lists from the lookaside cache
into the output directory, verifying each hash. The lookaside comes from a
component's upstream distro (-p), or from --lookaside-uri (no project needed).`,
		Example: `  azldev advanced download-sources -p curl -d ./curl
  azldev advanced download-sources --lookaside-uri 'https://src.example.org/repo/pkgs/$pkg/$filename/$hashtype/$hash/$filename' --package curl`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if (component == "") == (template == "") {
				return usageError{cmd.CommandPath(), errors.New("give exactly one of -p/--component and --lookaside-uri")}
			}
			if component != "" {
				var err error
				if template, pkg, err = componentLookaside(app, component); err != nil {
					return err
				}
			}
			if pkg == "" {
				pkg = packageNameIn(dir)
			}
			if outDir == "" {
				outDir = dir
			}
			if err := stageSources(dir, outDir); err != nil {
				return err
			}
			if err := app.Downloads().FetchSources(cmd.Context(), outDir, pkg, template, nil); err != nil {
				return err
			}
			app.Log.Info("Downloaded sources", "package", pkg, "dir", outDir)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVarP(&component, "component", "p", "", "take the lookaside and package name from this component")
	f.StringVar(&template, "lookaside-uri", "", "lookaside URI template ($pkg, $filename, $hashtype, $hash)")
	f.StringVar(&pkg, "package", "", "package name for $pkg (default: the spec's name in the directory, else the directory name)")
	f.StringVarP(&dir, "dir", "d", ".", "directory holding the sources file")
	f.StringVarP(&outDir, "output-dir", "o", "", "where to write the files (default: the same directory)")
	return cmd
}

// componentLookaside returns a component's lookaside template and package name.
func componentLookaside(app *App, name string) (template, pkg string, err error) {
	r, err := app.Resolver()
	if err != nil {
		return "", "", err
	}
	c, err := r.Resolve(name)
	if err != nil {
		return "", "", err
	}
	ref, err := upstream.RefOf(r.Config(), c)
	if err != nil {
		return "", "", err
	}
	return ref.LookasideTemplate, ref.Package, nil
}

// packageNameIn guesses the package name of a dist-git directory.
func packageNameIn(dir string) string {
	if specs, _ := filepath.Glob(filepath.Join(dir, "*.spec")); len(specs) == 1 {
		return strings.TrimSuffix(filepath.Base(specs[0]), ".spec")
	}
	return filepath.Base(absPath(dir))
}

// stageSources copies dir's sources file into outDir when they differ.
func stageSources(dir, outDir string) error {
	data, err := os.ReadFile(filepath.Join(dir, "sources"))
	if err != nil {
		return fmt.Errorf("reading the sources file: %w", err)
	}
	if absPath(dir) == absPath(outDir) {
		return nil
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(outDir, "sources"), data, 0o644)
}

func absPath(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}
