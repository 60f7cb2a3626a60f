package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/azlforge/azldev/internal/cli/output"
	"github.com/azlforge/azldev/internal/foundation/treediff"
	"github.com/azlforge/azldev/internal/prepare"
	"github.com/azlforge/azldev/internal/resolve"
)

func newDiffSourcesCommand(app *App) *cobra.Command {
	var sf selectionFlags
	var outFile string
	var skipSources bool
	cmd := &cobra.Command{
		Use:   "diff-sources [NAME]",
		Short: "Show what a component's overlays change, as a unified diff",
		Long: `Prepare one component's sources twice, without and with its overlays and
build configuration, and print the difference as a unified diff (colored on
a terminal), or as JSON with -O json.`,
		Example: `  azldev component diff-sources -p curl
  azldev component diff-sources curl -O json --output-file curl.json`,
		RunE: func(cmd *cobra.Command, args []string) error {
			r, comp, err := sf.selectedOne(app, args)
			if err != nil {
				return err
			}
			res, err := diffComponent(app, r, comp, prepare.Options{SkipSources: skipSources, SkipLockValidation: sf.skipLockValidation})
			if err != nil {
				return err
			}
			return writeDiff(app, res, outFile)
		},
	}
	sf.bind(cmd)
	cmd.Flags().StringVar(&outFile, "output-file", "", "write the diff to this file instead of standard output")
	cmd.Flags().BoolVar(&skipSources, "skip-sources", false, "do not download lookaside files or source-files (archive overlays are then not shown)")
	cmd.ValidArgsFunction = sf.complete(app)
	return cmd
}

// diffComponent prepares the component without and with overlays and compares the trees.
func diffComponent(app *App, r *resolve.Resolver, comp *resolve.Component, base prepare.Options) (treediff.Result, error) {
	tmp, err := os.MkdirTemp("", "azldev-diff-")
	if err != nil {
		return treediff.Result{}, err
	}
	defer os.RemoveAll(tmp)
	dirs := [2]string{filepath.Join(tmp, "a"), filepath.Join(tmp, "b")}
	for i, skip := range []bool{true, false} {
		opts := base
		opts.OutputDir, opts.SkipOverlays, opts.WithoutGit, opts.Log = dirs[i], skip, true, quietLog(app, skip)
		p := &prepare.Preparer{Config: r.Config(), DistGit: app.DistGit(), Downloads: app.Downloads(), Opts: opts}
		if err := p.Prepare(comp); err != nil {
			return treediff.Result{}, err
		}
	}
	return treediff.Compare(dirs[0], dirs[1])
}

// writeDiff prints the result as JSON, or as a unified diff colored on a terminal.
func writeDiff(app *App, res treediff.Result, outFile string) error {
	var w io.Writer = app.Stdout
	color := app.useColor(app.Stdout)
	if outFile != "" {
		f, err := os.Create(outFile)
		if err != nil {
			return err
		}
		defer f.Close()
		w, color = f, false
	}
	if app.Opts.OutputFormat == string(output.JSON) {
		return output.WriteJSON(w, res)
	}
	var b strings.Builder
	for _, f := range res.Files {
		if f.Unified == "" {
			fmt.Fprintf(&b, "%s: %s (%s)\n", f.Path, f.Status, f.Message)
			continue
		}
		b.WriteString(colorDiff(f.Unified, color))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// colorDiff colors a unified diff's headers, hunks, additions and removals.
func colorDiff(diff string, color bool) string {
	if !color {
		return diff
	}
	lines := strings.SplitAfter(diff, "\n")
	for i, l := range lines {
		code := ""
		switch {
		case i < 2: // the ---/+++ file header
			code = "1"
		case strings.HasPrefix(l, "@@"):
			code = "36"
		case strings.HasPrefix(l, "+"):
			code = "32"
		case strings.HasPrefix(l, "-"):
			code = "31"
		}
		if code != "" {
			lines[i] = "\x1b[" + code + "m" + strings.TrimSuffix(l, "\n") + "\x1b[0m\n"
		}
	}
	return strings.Join(lines, "")
}
