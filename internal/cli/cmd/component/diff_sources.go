package component

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/azlforge/azldev/internal/cli/app"
	"github.com/azlforge/azldev/internal/cli/output"
	"github.com/azlforge/azldev/internal/foundation/treediff"
	"github.com/azlforge/azldev/internal/prepare"
)

// DiffSourcesOptions are the options of `component diff-sources`.
type DiffSourcesOptions struct {
	Selection   app.Selection
	OutputFile  string
	SkipSources bool
}

func newCmdDiffSources(a *app.App) *cobra.Command {
	var opts DiffSourcesOptions
	cmd := &cobra.Command{
		Use:   "diff-sources [NAME]",
		Short: "Show what a component's overlays change, as a unified diff",
		Long: `Prepare one component's sources twice, without and with its overlays and
build configuration, and print the difference as a unified diff (colored on
a terminal), or as JSON with -O json.`,
		Example: `  azldev component diff-sources -p curl
  azldev component diff-sources curl -O json --output-file curl.json`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Selection = opts.Selection.With(args)
			return runDiffSources(cmd.Context(), a, opts)
		},
	}
	opts.Selection.Bind(cmd)
	cmd.Flags().StringVar(&opts.OutputFile, "output-file", "", "write the diff to this file instead of standard output")
	cmd.Flags().BoolVar(&opts.SkipSources, "skip-sources", false, "do not download lookaside files or source-files (archive overlays are then not shown)")
	cmd.ValidArgsFunction = a.CompleteComponents
	return cmd
}

func runDiffSources(ctx context.Context, a *app.App, opts DiffSourcesOptions) error {
	r, comp, err := a.SelectOne(opts.Selection)
	if err != nil {
		return err
	}
	p := &prepare.Preparer{Config: r.Config(), DistGit: a.DistGit(), Downloads: a.Downloads(),
		Opts: prepare.Options{SkipSources: opts.SkipSources, SkipLockValidation: opts.Selection.SkipLockValidation, Log: a.Log}}
	res, err := p.Diff(ctx, comp)
	if err != nil {
		return err
	}
	return writeDiff(a, res, opts.OutputFile)
}

// writeDiff prints the result as JSON, or as a unified diff colored on a terminal.
func writeDiff(a *app.App, res treediff.Result, outFile string) error {
	var w io.Writer = a.Stdout
	color := a.UseColor(a.Stdout)
	if outFile != "" {
		f, err := os.Create(outFile)
		if err != nil {
			return err
		}
		defer f.Close()
		w, color = f, false
	}
	if a.Opts.OutputFormat == string(output.JSON) {
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
