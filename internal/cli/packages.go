package cli

import (
	"errors"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/azlforge/azldev/internal/cli/output"
	"github.com/azlforge/azldev/internal/resolve"
)

func newPackageCommand(app *App) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "package",
		Aliases: []string{"pkg"},
		Short:   "Inspect binary packages and where they are published",
	}
	cmd.AddCommand(newPackageListCommand(app))
	return cmd
}

func newPackageListCommand(app *App) *cobra.Command {
	var all bool
	var names []string
	cmd := &cobra.Command{
		Use:   "list [NAME...]",
		Short: "List binary packages with their groups, component and publish channel",
		Example: `  azldev package list -a
  azldev package list curl libcurl -O json`,
		RunE: func(cmd *cobra.Command, args []string) error {
			r, err := app.Resolver()
			if err != nil {
				return err
			}
			names = append(names, args...)
			for _, n := range names {
				if strings.TrimSpace(n) == "" {
					return usageError{cmd.CommandPath(), errors.New("package names must not be empty")}
				}
			}
			if all {
				if names, err = r.AllPackageNames(); err != nil {
					return err
				}
			}
			pkgs, err := r.Packages(names)
			if err != nil {
				return err
			}
			slices.SortStableFunc(pkgs, func(a, b resolve.Package) int { return strings.Compare(a.Name, b.Name) })
			out, err := app.Output()
			if err != nil {
				return err
			}
			rows := output.Rows{Columns: []string{"Package", "Type", "Component", "Package Groups", "Component Groups", "Channel"}}
			for _, p := range pkgs {
				rows.Rows = append(rows.Rows, []string{p.Name, p.Type, p.Component,
					strings.Join(p.PackageGroups, ", "), strings.Join(p.ComponentGroups, ", "), p.PublishChannel})
			}
			sortRows(rows.Rows)
			return out.Write(pkgs, rows)
		},
	}
	cmd.Flags().BoolVarP(&all, "all", "a", false, "list every package named by a package group or component")
	cmd.Flags().StringArrayVarP(&names, "package", "p", nil, "package name (repeatable)")
	return cmd
}
