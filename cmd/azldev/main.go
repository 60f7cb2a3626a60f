// Command azldev defines and produces an RPM-based Linux distribution from
// declarative TOML configuration.
package main

import (
	"runtime/debug"

	"github.com/azlforge/azldev/internal/cli"
)

func main() {
	// A short-lived process that builds a large, mostly live heap: collect
	// less often (GOGC still overrides this).
	debug.SetGCPercent(400)
	cli.Main()
}
