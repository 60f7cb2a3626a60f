package component

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/azlforge/azldev/internal/cli/app"
	"github.com/azlforge/azldev/internal/prepare"
)

// PrepareSourcesOptions are the options of `component prepare-sources`.
type PrepareSourcesOptions struct {
	Selection app.Selection
	Prepare   prepare.Options
}

func newCmdPrepareSources(a *app.App) *cobra.Command {
	var opts PrepareSourcesOptions
	cmd := &cobra.Command{
		Use:     "prepare-sources [NAME]",
		Aliases: []string{"prep-sources"},
		Short:   "Write one component's spec and sources with overlays applied",
		Long: `Fetch one component's spec and sources into an output directory, apply its
overlays and build configuration, and rewrite its sources file. The output
replaces the directory only when everything succeeded, in one rename. An
existing directory is replaced only when it is empty or, with --force, when
azldev wrote it (a marker .<name>.azldev-owned beside it records that).`,
		Example: `  azldev component prepare-sources -p curl -o /tmp/curl
  azldev component prepare-sources -p curl -o /tmp/curl --skip-overlays --force`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Selection = opts.Selection.With(args)
			return runPrepareSources(cmd.Context(), a, opts)
		},
	}
	opts.Selection.Bind(cmd)
	f := cmd.Flags()
	f.StringVarP(&opts.Prepare.OutputDir, "output-dir", "o", "", "directory to write the prepared sources to (required)")
	f.BoolVar(&opts.Prepare.Force, "force", false, "replace a non-empty output directory that azldev wrote (others are refused)")
	f.BoolVar(&opts.Prepare.SkipOverlays, "skip-overlays", false, "copy the sources without applying overlays")
	f.BoolVar(&opts.Prepare.WithoutGit, "without-git", false, "do not produce dist-git history in the output")
	f.BoolVar(&opts.Prepare.SkipSources, "skip-sources", false, "do not download lookaside files or source-files")
	f.BoolVar(&opts.Prepare.AllowNoHashes, "allow-no-hashes", false, "compute missing source-files hashes from the downloaded files")
	_ = cmd.MarkFlagRequired("output-dir")
	cmd.ValidArgsFunction = a.CompleteComponents
	return cmd
}

func runPrepareSources(ctx context.Context, a *app.App, opts PrepareSourcesOptions) error {
	r, comp, err := a.SelectOne(opts.Selection)
	if err != nil {
		return err
	}
	opts.Prepare.Log = a.Log
	opts.Prepare.SkipLockValidation = opts.Selection.SkipLockValidation
	p := &prepare.Preparer{Config: r.Config(), Opts: opts.Prepare, DistGit: a.DistGit(), Downloads: a.Downloads()}
	if err := p.Prepare(ctx, comp); err != nil {
		return err
	}
	a.Log.Info("Prepared sources", "component", comp.Name, "dir", opts.Prepare.OutputDir)
	return nil
}
