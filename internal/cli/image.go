package cli

import (
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/azlforge/azldev/internal/cli/output"
	"github.com/azlforge/azldev/internal/config"
)

func newImageCommand(app *App) *cobra.Command {
	cmd := &cobra.Command{Use: "image", Short: "Inspect and build images"}
	cmd.AddCommand(newImageListCommand(app))
	return cmd
}

// imageJSON is the JSON shape of an image in listings.
type imageJSON struct {
	Name         string                    `json:"name"`
	Description  string                    `json:"description"`
	Capabilities config.ImageCapabilities  `json:"capabilities"`
	Tests        config.ImageTestsConfig   `json:"tests"`
	Publish      config.ImagePublishConfig `json:"publish"`
	Definition   imageDefinitionJSON       `json:"definition"`
}

type imageDefinitionJSON struct {
	Type string `json:"type"`
	Path string `json:"path"`
}

func newImageListCommand(app *App) *cobra.Command {
	return &cobra.Command{
		Use:   "list [PATTERN...]",
		Short: "List images (optionally those matching shell patterns)",
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := app.project() // images need no components
			if err != nil {
				return err
			}
			out, err := app.Output()
			if err != nil {
				return err
			}
			imgs := []imageJSON{}
			rows := output.Rows{Columns: []string{"Name", "Description", "Capabilities", "Tests", "Publish"}}
			for _, name := range slices.Sorted(maps.Keys(cfg.Images)) {
				ok, err := matchAny(args, name)
				if err != nil {
					return err
				}
				if !ok {
					continue
				}
				img := cfg.Images[name]
				imgs = append(imgs, imageJSON{Name: name, Description: img.Description, Capabilities: img.Capabilities,
					Tests: img.Tests, Publish: img.Publish, Definition: imageDefinitionJSON{Type: img.Definition.Type, Path: img.Definition.Path}})
				rows.Rows = append(rows.Rows, []string{name, img.Description, capabilityNames(img.Capabilities),
					testNames(img.Tests), strings.Join(img.Publish.Channels, ", ")})
			}
			return out.Write(imgs, rows)
		},
	}
}

// matchAny reports whether name matches one of the shell patterns (all names match when none are given).
func matchAny(patterns []string, name string) (bool, error) {
	if len(patterns) == 0 {
		return true, nil
	}
	for _, p := range patterns {
		ok, err := path.Match(p, name)
		if err != nil {
			return false, fmt.Errorf("invalid pattern %q: %w", p, err)
		}
		if ok {
			return true, nil
		}
	}
	return false, nil
}

func capabilityNames(c config.ImageCapabilities) string {
	var out []string
	for _, cap := range []struct {
		name string
		on   *bool
	}{{"machine-bootable", c.MachineBootable}, {"container", c.Container}, {"systemd", c.Systemd}, {"runtime-package-management", c.RuntimePackageManagement}} {
		if cap.on != nil && *cap.on {
			out = append(out, cap.name)
		}
	}
	return strings.Join(out, ", ")
}

func testNames(t config.ImageTestsConfig) string {
	names := make([]string, len(t.TestSuites))
	for i, s := range t.TestSuites {
		names[i] = s.Name
	}
	return strings.Join(names, ", ")
}
