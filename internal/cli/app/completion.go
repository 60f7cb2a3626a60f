package app

import (
	"maps"
	"slices"

	"github.com/spf13/cobra"
)

// RegisterCompletions makes every command of the tree under root complete
// component names for --component (-p) and group names for
// --component-group (-g), from the project.
func (a *App) RegisterCompletions(root *cobra.Command) {
	for _, c := range root.Commands() {
		a.RegisterCompletions(c)
	}
	if root.Flags().Lookup("component") != nil {
		_ = root.RegisterFlagCompletionFunc("component", a.CompleteComponents)
	}
	if root.Flags().Lookup("component-group") != nil {
		_ = root.RegisterFlagCompletionFunc("component-group", a.CompleteGroups)
	}
}

// CompleteGroups completes component group names.
func (a *App) CompleteGroups(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	cfg, err := a.Project()
	if err != nil {
		return nil, cobra.ShellCompDirectiveError
	}
	return slices.Sorted(maps.Keys(cfg.ComponentGroups)), cobra.ShellCompDirectiveNoFileComp
}

// CompleteImages completes image names.
func (a *App) CompleteImages(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	cfg, err := a.Project()
	if err != nil {
		return nil, cobra.ShellCompDirectiveError
	}
	return slices.Sorted(maps.Keys(cfg.Images)), cobra.ShellCompDirectiveNoFileComp
}
