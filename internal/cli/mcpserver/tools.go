package mcpserver

import (
	"context"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// addTools registers a tool per read-only command.
func addTools(s *mcp.Server, r runner) {
	add[ComponentListInput](s, r, "component_list", "components",
		"Resolved configuration of the selected components (azldev component list -O json).")
	add[ChangedInput](s, r, "component_changed", "changes",
		"Components whose build inputs changed between two revisions of the project repository (azldev component changed).")
	add[HistoryInput](s, r, "component_history", "history",
		"Per component: commits touching its configuration, its customizations and its fingerprint changes (azldev component history).")
	add[QueryInput](s, r, "component_query", "specs",
		"Name, EVR, subpackages, BuildRequires, Provides, Sources and Patches of the selected components' overlaid specs (azldev component query).")
	add[RenderCheckInput](s, r, "component_render_check", "render",
		"Whether the rendered specs of the selected components are up to date; changes nothing (azldev component render --check-only).")
	add[PackageListInput](s, r, "package_list", "packages",
		"Binary packages with their groups, component and publish channel (azldev package list).")
	add[ImageListInput](s, r, "image_list", "images",
		"Images with their capabilities, tests and publish channels (azldev image list).")
	add[ConfigDumpInput](s, r, "config_dump", "config",
		"The merged project configuration with absolute paths and defaults (azldev config dump -O json).")
}

// input is a tool's input: it knows the command line it stands for.
type input interface{ args() []string }

// add registers a read-only tool that runs In's command line and returns
// its JSON output under key.
func add[In input](s *mcp.Server, r runner, name, key, description string) {
	tool := &mcp.Tool{Name: name, Description: description, Annotations: &mcp.ToolAnnotations{ReadOnlyHint: true}}
	mcp.AddTool(s, tool, func(ctx context.Context, _ *mcp.CallToolRequest, in In) (*mcp.CallToolResult, any, error) {
		return r.run(ctx, key, in.args()...)
	})
}

// Selection chooses components, as -a, -p and -g do.
type Selection struct {
	All        bool     `json:"all,omitempty" jsonschema:"select every component"`
	Components []string `json:"components,omitempty" jsonschema:"component names or shell patterns"`
	Groups     []string `json:"groups,omitempty" jsonschema:"component groups whose components to select"`
}

// flags are the selection flags.
func (s Selection) flags() []string {
	var args []string
	if s.All {
		args = append(args, "--all-components")
	}
	for _, c := range s.Components {
		args = append(args, "--component="+c)
	}
	for _, g := range s.Groups {
		args = append(args, "--component-group="+g)
	}
	return args
}

// flag returns --name when set.
func flag(name string, set bool) []string {
	if set {
		return []string{"--" + name}
	}
	return nil
}

// option returns --name=value when value is not empty.
func option(name, value string) []string {
	if value != "" {
		return []string{"--" + name + "=" + value}
	}
	return nil
}

// ComponentListInput is the input of component_list.
type ComponentListInput struct{ Selection }

func (in ComponentListInput) args() []string {
	return append([]string{"component", "list"}, in.flags()...)
}

// ChangedInput is the input of component_changed.
type ChangedInput struct {
	Selection
	From             string `json:"from" jsonschema:"the older revision of the project repository (commit, branch or tag)"`
	To               string `json:"to,omitempty" jsonschema:"the newer revision (default HEAD)"`
	IncludeUnchanged bool   `json:"includeUnchanged,omitempty" jsonschema:"with all, also list unchanged components"`
}

func (in ChangedInput) args() []string {
	args := append([]string{"component", "changed", "--from=" + in.From}, in.flags()...)
	return append(append(args, option("to", in.To)...), flag("include-unchanged", in.IncludeUnchanged)...)
}

// HistoryInput is the input of component_history.
type HistoryInput struct {
	Selection
	IncludeBare bool   `json:"includeBare,omitempty" jsonschema:"also list components without customizations"`
	Shared      string `json:"shared,omitempty" jsonschema:"show (default) or omit files and defaults shared with other components"`
}

func (in HistoryInput) args() []string {
	args := append([]string{"component", "history"}, in.flags()...)
	return append(append(args, flag("include-bare", in.IncludeBare)...), option("shared", in.Shared)...)
}

// QueryInput is the input of component_query.
type QueryInput struct{ Selection }

func (in QueryInput) args() []string {
	return append([]string{"component", "query"}, in.flags()...)
}

// RenderCheckInput is the input of component_render_check.
type RenderCheckInput struct{ Selection }

func (in RenderCheckInput) args() []string {
	return append([]string{"component", "render", "--check-only"}, in.flags()...)
}

// PackageListInput is the input of package_list.
type PackageListInput struct {
	All      bool     `json:"all,omitempty" jsonschema:"list every package named by a package group or component"`
	Packages []string `json:"packages,omitempty" jsonschema:"binary package names"`
}

func (in PackageListInput) args() []string {
	args := append([]string{"package", "list"}, flag("all", in.All)...)
	for _, p := range in.Packages {
		args = append(args, "--package="+p)
	}
	return args
}

// ImageListInput is the input of image_list.
type ImageListInput struct {
	Patterns []string `json:"patterns,omitempty" jsonschema:"shell patterns of image names (default: all)"`
}

func (in ImageListInput) args() []string {
	return append([]string{"image", "list", "--"}, in.Patterns...)
}

// ConfigDumpInput is the input of config_dump (none).
type ConfigDumpInput struct{}

func (ConfigDumpInput) args() []string { return []string{"config", "dump"} }
