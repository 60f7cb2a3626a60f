// Package edit changes a project's configuration files in place, keeping
// their formatting and comments.
package edit

import (
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/azlforge/azldev/internal/config"
	"github.com/azlforge/azldev/internal/foundation/atomicfile"
)

// AddComponents appends a bare [components.NAME] table per name to the
// project's root configuration file. Every name must be a plain file name
// that is not already a component; otherwise nothing is written.
func AddComponents(cfg *config.Config, names []string) error {
	for _, n := range names {
		if err := config.CheckComponentName(n); err != nil {
			return err
		}
		if cfg.HasComponent(n) {
			return fmt.Errorf("component %q already exists in project config", n)
		}
	}
	return appendComponents(cfg.RootFile, names)
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
