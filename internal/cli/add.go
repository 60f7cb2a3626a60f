package cli

import (
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/azlforge/azldev/internal/foundation/atomicfile"
	"github.com/azlforge/azldev/internal/foundation/safepath"
)

func newComponentAddCommand(app *App) *cobra.Command {
	return &cobra.Command{
		Use:   "add NAME...",
		Short: "Add components (imported from the default upstream) to the root config file",
		Long: `Append a bare [components.NAME] table for each name to the project's root
azldev.toml. The rest of the file, comments and formatting included, is kept
as it is. A name that is already a component is an error.`,
		Example: `  azldev component add curl wget`,
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := app.project()
			if err != nil {
				return err
			}
			for _, n := range args {
				if err := safepath.CheckFileName(n); err != nil || strings.HasPrefix(n, ".") {
					return fmt.Errorf("invalid component name %q: it must be a plain file name", n)
				}
				if cfg.HasComponent(n) {
					return fmt.Errorf("component %q already exists in project config", n)
				}
			}
			if err := appendComponents(cfg.RootFile, args); err != nil {
				return err
			}
			app.Log.Info("Added components", "file", cfg.RootFile, "components", strings.Join(args, ", "))
			return nil
		},
	}
}

// appendComponents adds one bare table per name at the end of file.
func appendComponents(file string, names []string) error {
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	st, err := os.Stat(file)
	if err != nil {
		return err
	}
	var b strings.Builder
	b.Write(data)
	if len(data) > 0 && !strings.HasSuffix(string(data), "\n") {
		b.WriteByte('\n')
	}
	for _, n := range names {
		fmt.Fprintf(&b, "\n[components.%s]\n", tomlKey(n))
	}
	return atomicfile.WriteBytes(file, []byte(b.String()), st.Mode().Perm())
}

// tomlKey writes a key bare when TOML allows it, quoted otherwise.
func tomlKey(k string) string {
	for _, r := range k {
		if !(r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return strconv.Quote(k)
		}
	}
	return k
}
