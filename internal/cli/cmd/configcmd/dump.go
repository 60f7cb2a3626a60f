package configcmd

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/azlforge/azldev/internal/cli/app"
	"github.com/azlforge/azldev/internal/cli/output"
)

// DumpOptions are the options of `config dump`.
type DumpOptions struct {
	Format  string // toml or json
	Compact bool
}

func newCmdDump(a *app.App) *cobra.Command {
	var opts DumpOptions
	cmd := &cobra.Command{
		Use:   "dump",
		Short: "Print the merged configuration (absolute paths, defaults applied)",
		Long: `Print the configuration after every file is loaded and merged, with paths
made absolute and default directories filled in. TOML by default; JSON with
-f json (--format json) or -O json. Components are shown as declared, not
resolved (see 'component list -O json' for resolved components).

The output is that of the reference azldev, field for field, so that scripts
can rely on it. --compact prints this tool's own, shorter form instead:
no name fields, empty values left out, TOML tables indented.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if opts.Format == "" {
				opts.Format = "toml"
				if a.Opts.OutputFormat == string(output.JSON) {
					opts.Format = "json"
				}
			}
			if opts.Format != "toml" && opts.Format != "json" {
				return app.NewUsageError(cmd, fmt.Errorf("invalid --format %q (want toml or json)", opts.Format))
			}
			return runDump(a, opts)
		},
	}
	cmd.Flags().StringVarP(&opts.Format, "format", "f", "", "toml or json (default: toml, or json with -O json)")
	cmd.Flags().BoolVar(&opts.Compact, "compact", false, "print the shorter form (no names, no empty values, indented TOML) instead of the reference's")
	_ = cmd.RegisterFlagCompletionFunc("format", app.FixedCompletion("toml", "json"))
	return cmd
}

func runDump(a *app.App, opts DumpOptions) error {
	cfg, err := a.Config()
	if err != nil {
		return err
	}
	text, err := cfg.DumpText(opts.Format, opts.Compact)
	if err != nil {
		return err
	}
	_, err = a.Stdout.Write(text)
	return err
}
