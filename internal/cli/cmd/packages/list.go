// Package packages holds the `azldev package` commands.
package packages

import (
	"errors"
	"strings"

	"github.com/spf13/cobra"

	"github.com/azlforge/azldev/internal/cli/app"
	"github.com/azlforge/azldev/internal/cli/output"
)

// NewCmd returns `azldev package` and its verbs.
func NewCmd(a *app.App) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "package",
		Aliases: []string{"pkg"},
		Short:   "Inspect binary packages and where they are published",
	}
	cmd.AddCommand(newCmdList(a))
	return cmd
}

// ListOptions are the options of `package list`.
type ListOptions struct {
	All   bool
	Names []string
}

func newCmdList(a *app.App) *cobra.Command {
	var opts ListOptions
	cmd := &cobra.Command{
		Use:   "list [NAME...]",
		Short: "List binary packages with their groups, component and publish channel",
		Example: `  azldev package list -a
  azldev package list curl libcurl -O json`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Names = append(opts.Names, args...)
			for _, n := range opts.Names {
				if strings.TrimSpace(n) == "" {
					return app.NewUsageError(cmd, errors.New("package names must not be empty"))
				}
			}
			return runList(a, opts)
		},
	}
	cmd.Flags().BoolVarP(&opts.All, "all", "a", false, "list every package named by a package group or component")
	cmd.Flags().StringArrayVarP(&opts.Names, "package", "p", nil, "package name (repeatable)")
	return cmd
}

func runList(a *app.App, opts ListOptions) error {
	r, err := a.Resolver()
	if err != nil {
		return err
	}
	pkgs, err := r.ListPackages(opts.Names, opts.All)
	if err != nil {
		return err
	}
	out, err := a.Output()
	if err != nil {
		return err
	}
	rows := output.Rows{Columns: []string{"Package", "Type", "Component", "Package Groups", "Component Groups", "Channel"}}
	for _, p := range pkgs {
		rows.Rows = append(rows.Rows, []string{p.Name, p.Type, p.Component,
			strings.Join(p.PackageGroups, ", "), strings.Join(p.ComponentGroups, ", "), p.PublishChannel})
	}
	app.SortRows(rows.Rows)
	return out.Write(pkgs, rows)
}
