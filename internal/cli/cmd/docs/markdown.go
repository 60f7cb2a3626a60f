package docs

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"

	"github.com/azlforge/azldev/internal/cli/app"
	"github.com/azlforge/azldev/internal/foundation/atomicfile"
)

// MarkdownOptions are the options of `docs markdown`.
type MarkdownOptions struct {
	OutputDir string
}

func newCmdMarkdown(a *app.App) *cobra.Command {
	var opts MarkdownOptions
	cmd := &cobra.Command{
		Use:     "markdown",
		Aliases: []string{"md"},
		Short:   "Write the command reference as Markdown, one file per command",
		Long: `Write one Markdown page per command (azldev.md, azldev_component_list.md, ...)
with cobra's documentation generator. Pages that did not change are left
alone and pages of commands that no longer exist are removed, so the
directory always matches the binary.`,
		Example: `  azldev docs markdown -o docs/cli`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runMarkdown(a, cmd.Root(), opts)
		},
	}
	cmd.Flags().StringVarP(&opts.OutputDir, "output-dir", "o", ".", "directory for the pages (created if missing)")
	return cmd
}

func runMarkdown(a *app.App, root *cobra.Command, opts MarkdownOptions) error {
	pages, err := MarkdownPages(root)
	if err != nil {
		return err
	}
	changed, err := SyncPages(opts.OutputDir, pages)
	if err != nil {
		return err
	}
	a.Log.Info("Wrote the command reference", "dir", opts.OutputDir, "pages", len(pages), "changed", changed)
	return nil
}

// MarkdownPages renders every visible command of root's tree with cobra's
// generator, without its dated footer: file name → page.
func MarkdownPages(root *cobra.Command) (map[string][]byte, error) {
	root.DisableAutoGenTag = true
	pages := map[string][]byte{}
	var err error
	visible(root, func(c *cobra.Command) {
		c.DisableAutoGenTag = true
		var buf bytes.Buffer
		if e := doc.GenMarkdownCustom(c, &buf, func(s string) string { return s }); e != nil && err == nil {
			err = e
		}
		pages[pageName(c)] = buf.Bytes()
	})
	return pages, err
}

// pageName is the file name cobra gives a command's page.
func pageName(c *cobra.Command) string {
	return strings.ReplaceAll(c.CommandPath(), " ", "_") + ".md"
}

// SyncPages makes dir hold exactly pages among its azldev*.md files: it
// writes the pages that differ and removes the others. It returns how many
// files it wrote or removed.
func SyncPages(dir string, pages map[string][]byte) (int, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, err
	}
	changed := 0
	for name, data := range pages {
		path := filepath.Join(dir, name)
		old, err := os.ReadFile(path)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return changed, err
		}
		if err == nil && bytes.Equal(old, data) {
			continue
		}
		if err := atomicfile.WriteBytes(path, data, 0o644); err != nil {
			return changed, err
		}
		changed++
	}
	stale, err := filepath.Glob(filepath.Join(dir, "azldev*.md"))
	if err != nil {
		return changed, err
	}
	for _, path := range stale {
		if _, ok := pages[filepath.Base(path)]; !ok {
			if err := os.Remove(path); err != nil {
				return changed, err
			}
			changed++
		}
	}
	return changed, nil
}
