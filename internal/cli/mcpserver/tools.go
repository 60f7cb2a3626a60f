package mcpserver

import (
	"context"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// Selection chooses components, as -a, -p and -g do.
type Selection struct {
	All        bool     `json:"all,omitempty" jsonschema:"select every component"`
	Components []string `json:"components,omitempty" jsonschema:"component names or shell patterns"`
	Groups     []string `json:"groups,omitempty" jsonschema:"component groups whose components to select"`
}

// args are the selection flags.
func (s Selection) args() []string {
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

// ChangedInput is the input of component_changed.
type ChangedInput struct {
	Selection
	From             string `json:"from" jsonschema:"the older revision of the project repository (commit, branch or tag)"`
	To               string `json:"to,omitempty" jsonschema:"the newer revision (default HEAD)"`
	IncludeUnchanged bool   `json:"includeUnchanged,omitempty" jsonschema:"with all, also list unchanged components"`
}

// HistoryInput is the input of component_history.
type HistoryInput struct {
	Selection
	IncludeBare bool   `json:"includeBare,omitempty" jsonschema:"also list components without customizations"`
	Shared      string `json:"shared,omitempty" jsonschema:"show (default) or omit files and defaults shared with other components"`
}

// RenderCheckInput is the input of component_render_check.
type RenderCheckInput struct {
	Selection
}

// PackageListInput is the input of package_list.
type PackageListInput struct {
	All      bool     `json:"all,omitempty" jsonschema:"list every package named by a package group or component"`
	Packages []string `json:"packages,omitempty" jsonschema:"binary package names"`
}

// ImageListInput is the input of image_list.
type ImageListInput struct {
	Patterns []string `json:"patterns,omitempty" jsonschema:"shell patterns of image names (default: all)"`
}

// Empty is the input of tools without arguments.
type Empty struct{}

// addTools registers a tool per read-only command.
func addTools(s *mcp.Server, r runner) {
	readOnly := &mcp.ToolAnnotations{ReadOnlyHint: true}
	tool := func(name, description string) *mcp.Tool {
		return &mcp.Tool{Name: name, Description: description, Annotations: readOnly}
	}
	mcp.AddTool(s, tool("component_list", "Resolved configuration of the selected components (azldev component list -O json)."),
		func(ctx context.Context, _ *mcp.CallToolRequest, in Selection) (*mcp.CallToolResult, any, error) {
			return r.run(ctx, "components", append([]string{"component", "list"}, in.args()...)...)
		})
	mcp.AddTool(s, tool("component_changed", "Components whose build inputs changed between two revisions of the project repository (azldev component changed)."),
		func(ctx context.Context, _ *mcp.CallToolRequest, in ChangedInput) (*mcp.CallToolResult, any, error) {
			args := append([]string{"component", "changed", "--from=" + in.From}, in.args()...)
			if in.To != "" {
				args = append(args, "--to="+in.To)
			}
			if in.IncludeUnchanged {
				args = append(args, "--include-unchanged")
			}
			return r.run(ctx, "changes", args...)
		})
	mcp.AddTool(s, tool("component_history", "Per component: commits touching its configuration, its customizations and its fingerprint changes (azldev component history)."),
		func(ctx context.Context, _ *mcp.CallToolRequest, in HistoryInput) (*mcp.CallToolResult, any, error) {
			args := append([]string{"component", "history"}, in.args()...)
			if in.IncludeBare {
				args = append(args, "--include-bare")
			}
			if in.Shared != "" {
				args = append(args, "--shared="+in.Shared)
			}
			return r.run(ctx, "history", args...)
		})
	mcp.AddTool(s, tool("component_render_check", "Whether the rendered specs of the selected components are up to date; changes nothing (azldev component render --check-only)."),
		func(ctx context.Context, _ *mcp.CallToolRequest, in RenderCheckInput) (*mcp.CallToolResult, any, error) {
			return r.run(ctx, "render", append([]string{"component", "render", "--check-only"}, in.args()...)...)
		})
	mcp.AddTool(s, tool("package_list", "Binary packages with their groups, component and publish channel (azldev package list)."),
		func(ctx context.Context, _ *mcp.CallToolRequest, in PackageListInput) (*mcp.CallToolResult, any, error) {
			args := []string{"package", "list"}
			if in.All {
				args = append(args, "--all")
			}
			for _, p := range in.Packages {
				args = append(args, "--package="+p)
			}
			return r.run(ctx, "packages", args...)
		})
	mcp.AddTool(s, tool("image_list", "Images with their capabilities, tests and publish channels (azldev image list)."),
		func(ctx context.Context, _ *mcp.CallToolRequest, in ImageListInput) (*mcp.CallToolResult, any, error) {
			return r.run(ctx, "images", append([]string{"image", "list", "--"}, in.Patterns...)...)
		})
	mcp.AddTool(s, tool("config_dump", "The merged project configuration with absolute paths and defaults (azldev config dump -O json)."),
		func(ctx context.Context, _ *mcp.CallToolRequest, _ Empty) (*mcp.CallToolResult, any, error) {
			return r.run(ctx, "config", "config", "dump")
		})
}
