package cli

import (
	"bytes"
	"fmt"

	"github.com/pelletier/go-toml/v2"
	"github.com/spf13/cobra"

	"github.com/azlforge/azldev/internal/cli/output"
	"github.com/azlforge/azldev/internal/config"
)

func newConfigCommand(app *App) *cobra.Command {
	cmd := &cobra.Command{Use: "config", Short: "Inspect the project configuration"}
	cmd.AddCommand(newConfigDumpCommand(app), newConfigSchemaCommand(app))
	return cmd
}

func newConfigDumpCommand(app *App) *cobra.Command {
	var format string
	var compact bool
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
			cfg, err := app.Config()
			if err != nil {
				return err
			}
			if format == "" && app.Opts.OutputFormat == string(output.JSON) {
				format = "json"
			}
			if format != "" && format != "toml" && format != "json" {
				return usageError{cmd.CommandPath(), fmt.Errorf("invalid --format %q (want toml or json)", format)}
			}
			if compact {
				return writeCompactDump(app, cfg, format)
			}
			d, err := cfg.Dump()
			if err != nil {
				return err
			}
			if format == "json" {
				return output.WriteJSON(app.Stdout, d)
			}
			b, err := toml.Marshal(d)
			if err != nil {
				return err
			}
			// The reference prints the document with a line break of its own
			// after the encoder's: the TOML ends in a blank line.
			_, err = app.Stdout.Write(append(b, '\n'))
			return err
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", "", "toml or json (default: toml, or json with -O json)")
	cmd.Flags().BoolVar(&compact, "compact", false, "print the shorter form (no names, no empty values, indented TOML) instead of the reference's")
	_ = cmd.RegisterFlagCompletionFunc("format", fixedCompletion("toml", "json"))
	return cmd
}

// writeCompactDump prints the model as it is: empty values left out, no
// name fields, TOML tables indented.
func writeCompactDump(app *App, cfg *config.Config, format string) error {
	if format == "json" {
		return output.WriteJSON(app.Stdout, &cfg.File)
	}
	var buf bytes.Buffer
	enc := toml.NewEncoder(&buf).SetIndentTables(true)
	if err := enc.Encode(&cfg.File); err != nil {
		return err
	}
	_, err := app.Stdout.Write(buf.Bytes())
	return err
}

func newConfigSchemaCommand(app *App) *cobra.Command {
	return &cobra.Command{
		Use:   "generate-schema",
		Short: "Print a JSON Schema of the configuration file format (for editors)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return output.WriteJSON(app.Stdout, config.Schema())
		},
	}
}
