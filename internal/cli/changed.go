package cli

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/azlforge/azldev/internal/cli/output"
	"github.com/azlforge/azldev/internal/gitcmd"
	"github.com/azlforge/azldev/internal/lock/changed"
	"github.com/azlforge/azldev/internal/prepare/history"
	"github.com/azlforge/azldev/internal/resolve"
)

// changedFlags are the options of `component changed` besides the selection.
type changedFlags struct {
	from, to         string
	includeUnchanged bool
}

func newChangedCommand(app *App) *cobra.Command {
	var sf selectionFlags
	var cf changedFlags
	cmd := &cobra.Command{
		Use:   "changed [NAME...]",
		Short: "List components whose build inputs changed between two commits",
		Long: `Compare the committed lock files of the selected components between two
revisions of the project repository: a component is changed when its input
fingerprint differs, added or deleted when its lock file appeared or
disappeared. SOURCES CHANGE tells whether the committed rendered sources file
differs. With -a, unchanged components are only listed with
--include-unchanged. The lock and rendered-specs directories are taken from
the current configuration.`,
		Example: `  azldev component changed -a --from origin/main
  azldev component changed -a --from v1.0 --to v1.1 -O json
  azldev component changed curl --from HEAD~5`,
		RunE: func(cmd *cobra.Command, args []string) error {
			r, names, err := sf.selected(app, args)
			if err != nil {
				return err
			}
			rows, err := compareRevisions(app, r, names, sf.sel.All, cf)
			if err != nil {
				return err
			}
			return writeChanged(app, rows)
		},
	}
	sf.bind(cmd)
	f := cmd.Flags()
	f.StringVar(&cf.from, "from", "", "the older revision (commit, branch or tag; required)")
	f.StringVar(&cf.to, "to", "HEAD", "the newer revision")
	f.BoolVar(&cf.includeUnchanged, "include-unchanged", false, "with -a, also list components that did not change")
	_ = cmd.MarkFlagRequired("from")
	cmd.ValidArgsFunction = sf.complete(app)
	return cmd
}

// compareRevisions runs the comparison in the repository holding the project.
func compareRevisions(app *App, r *resolve.Resolver, names []string, all bool, cf changedFlags) ([]changed.Row, error) {
	cfg := r.Config()
	repo, err := history.RepoRoot(cfg.ProjectDir)
	if err != nil {
		if errors.Is(err, gitcmd.ErrNoGit) {
			return nil, err
		}
		return nil, fmt.Errorf("comparing revisions needs the project in a git repository: %w", err)
	}
	lockDir, err := changed.RepoPath(repo, cfg.Project.LockDir)
	if err != nil {
		return nil, fmt.Errorf("lock directory: %w", err)
	}
	renderedDir, err := changed.RepoPath(repo, cfg.Project.RenderedSpecsDir)
	if err != nil {
		app.Log.Warn("Not comparing rendered sources files", "reason", err)
		renderedDir = ""
	}
	app.Log.Debug("Comparing lock files", "repo", repo, "lockDir", lockDir, "renderedDir", renderedDir, "from", cf.from, "to", cf.to)
	return changed.Compare(changed.Request{
		Repo: repo, From: cf.from, To: cf.to,
		LockDir: lockDir, RenderedDir: renderedDir,
		Components: names, Configured: r.Exists,
		All: all, IncludeUnchanged: cf.includeUnchanged,
	})
}

// writeChanged prints the rows (already sorted by component).
func writeChanged(app *App, rows []changed.Row) error {
	out, err := app.Output()
	if err != nil {
		return err
	}
	table := output.Rows{Columns: []string{"Component", "Change", "Sources Change"}}
	for _, r := range rows {
		table.Rows = append(table.Rows, []string{r.Component, string(r.ChangeType), strconv.FormatBool(r.SourcesChange)})
	}
	if rows == nil {
		rows = []changed.Row{}
	}
	return out.Write(rows, table)
}
