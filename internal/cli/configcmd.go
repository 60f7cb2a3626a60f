package cli

import (
	"bytes"
	"fmt"

	"github.com/pelletier/go-toml/v2"
	"github.com/spf13/cobra"

	"github.com/azlforge/azldev/internal/cli/app"
	"github.com/azlforge/azldev/internal/cli/output"
	"github.com/azlforge/azldev/internal/config"
)

func newConfigCommand(a *app.App) *cobra.Command {
	cmd := &cobra.Command{Use: "config", Short: "Inspect the project configuration"}
	cmd.AddCommand(newConfigDumpCommand(a), newConfigSchemaCommand(a))
	return cmd
}

func newConfigDumpCommand(a *app.App) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "dump",
		Short: "Print the merged configuration (absolute paths, defaults applied)",
		Long: `Print the configuration after every file is loaded and merged, with paths
made absolute and default directories filled in. TOML by default; JSON with
-O json or --format json. Components are shown as declared, not resolved
(see 'component list -O json' for resolved components).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := a.Config()
			if err != nil {
				return err
			}
			if format == "" && a.Opts.OutputFormat == string(output.JSON) {
				format = "json"
			}
			switch format {
			case "", "toml":
				var buf bytes.Buffer
				enc := toml.NewEncoder(&buf).SetIndentTables(true)
				if err := enc.Encode(&cfg.File); err != nil {
					return err
				}
				_, err = a.Stdout.Write(buf.Bytes())
				return err
			case "json":
				return output.WriteJSON(a.Stdout, &cfg.File)
			}
			return app.NewUsageError(cmd, fmt.Errorf("invalid --format %q (want toml or json)", format))
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", "", "toml or json (default: toml, or json with -O json)")
	_ = cmd.RegisterFlagCompletionFunc("format", app.FixedCompletion("toml", "json"))
	return cmd
}

func newConfigSchemaCommand(a *app.App) *cobra.Command {
	return &cobra.Command{
		Use:   "generate-schema",
		Short: "Print a JSON Schema of the configuration file format (for editors)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return output.WriteJSON(a.Stdout, config.Schema())
		},
	}
}
