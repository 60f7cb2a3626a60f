package cli

import (
	"github.com/spf13/cobra"

	"github.com/azlforge/azldev/internal/prepare"
)

func newPrepareSourcesCommand(app *App) *cobra.Command {
	var sf selectionFlags
	var opts prepare.Options
	cmd := &cobra.Command{
		Use:     "prepare-sources [NAME]",
		Aliases: []string{"prep-sources"},
		Short:   "Write one component's spec and sources with overlays applied",
		Long: `Fetch one component's spec and sources into an output directory, apply its
overlays and build configuration, and rewrite its sources file. The output
replaces the directory only when everything succeeded.`,
		Example: `  azldev component prepare-sources -p curl -o /tmp/curl
  azldev component prepare-sources -p curl -o /tmp/curl --skip-overlays --force`,
		RunE: func(cmd *cobra.Command, args []string) error {
			r, comp, err := sf.selectedOne(app, args)
			if err != nil {
				return err
			}
			opts.Log = app.Log
			opts.SkipLockValidation = sf.skipLockValidation
			p := &prepare.Preparer{Config: r.Config(), Opts: opts, DistGit: app.DistGit(), Downloads: app.Downloads(), Ctx: cmd.Context()}
			if err := p.Prepare(comp); err != nil {
				return err
			}
			app.Log.Info("Prepared sources", "component", comp.Name, "dir", opts.OutputDir)
			return nil
		},
	}
	sf.bind(cmd)
	f := cmd.Flags()
	f.StringVarP(&opts.OutputDir, "output-dir", "o", "", "directory to write the prepared sources to (required)")
	f.BoolVar(&opts.Force, "force", false, "replace a non-empty output directory")
	f.BoolVar(&opts.SkipOverlays, "skip-overlays", false, "copy the sources without applying overlays")
	f.BoolVar(&opts.WithoutGit, "without-git", false, "do not produce dist-git history in the output")
	f.BoolVar(&opts.SkipSources, "skip-sources", false, "do not download lookaside files or source-files")
	f.BoolVar(&opts.AllowNoHashes, "allow-no-hashes", false, "compute missing source-files hashes from the downloaded files")
	_ = cmd.MarkFlagRequired("output-dir")
	cmd.ValidArgsFunction = sf.complete(app)
	return cmd
}
