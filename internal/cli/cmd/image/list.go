// Package image holds the `azldev image` commands.
package image

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/azlforge/azldev/internal/cli/app"
	"github.com/azlforge/azldev/internal/cli/output"
	"github.com/azlforge/azldev/internal/config"
)

// NewCmd returns `azldev image` and its verbs.
func NewCmd(a *app.App) *cobra.Command {
	cmd := &cobra.Command{Use: "image", Short: "Inspect and build images"}
	cmd.AddCommand(newCmdList(a))
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

// ListOptions are the options of `image list`.
type ListOptions struct {
	Patterns []string
}

func newCmdList(a *app.App) *cobra.Command {
	return &cobra.Command{
		Use:   "list [PATTERN...]",
		Short: "List images (optionally those matching shell patterns)",
		RunE: func(cmd *cobra.Command, args []string) error {
			return runList(a, ListOptions{Patterns: args})
		},
		ValidArgsFunction: a.CompleteImages,
	}
}

func runList(a *app.App, opts ListOptions) error {
	cfg, err := a.Project() // images need no components
	if err != nil {
		return err
	}
	names, err := cfg.ImagesMatching(opts.Patterns)
	if err != nil {
		return err
	}
	out, err := a.Output()
	if err != nil {
		return err
	}
	imgs := []imageJSON{}
	rows := output.Rows{Columns: []string{"Name", "Description", "Capabilities", "Tests", "Publish"}}
	for _, name := range names {
		img := cfg.Images[name]
		imgs = append(imgs, imageJSON{Name: name, Description: img.Description, Capabilities: img.Capabilities,
			Tests: img.Tests, Publish: img.Publish, Definition: imageDefinitionJSON{Type: img.Definition.Type, Path: img.Definition.Path}})
		rows.Rows = append(rows.Rows, []string{name, img.Description, capabilityNames(img.Capabilities),
			testNames(img.Tests), strings.Join(img.Publish.Channels, ", ")})
	}
	return out.Write(imgs, rows)
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
