// Package project holds the `azldev project` commands, one file per verb.
package project

import (
	"github.com/spf13/cobra"

	"github.com/azlforge/azldev/internal/cli/app"
	"github.com/azlforge/azldev/internal/cli/output"
	"github.com/azlforge/azldev/internal/config/skeleton"
)

// NewCmd returns `azldev project` and its verbs.
func NewCmd(a *app.App) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "project",
		Short: "Create projects",
	}
	cmd.AddCommand(newCmdNew(a), newCmdInit(a))
	return cmd
}

// writeFiles prints the files a verb wrote.
func writeFiles(a *app.App, files []skeleton.File) error {
	out, err := a.Output()
	if err != nil {
		return err
	}
	rows := output.Rows{Columns: []string{"File", "Action"}}
	for _, f := range files {
		rows.Rows = append(rows.Rows, []string{f.Path, f.Action})
	}
	return out.Write(files, rows)
}
