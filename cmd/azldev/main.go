// Command azldev defines and produces an RPM-based Linux distribution from
// declarative TOML configuration.
package main

import "github.com/azlforge/azldev/internal/cli"

func main() { cli.Main() }
