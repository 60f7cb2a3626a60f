package component

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/azlforge/azldev/internal/cli/app"
	"github.com/azlforge/azldev/internal/cli/output"
	"github.com/azlforge/azldev/internal/lock/componenthistory"
)

// HistoryOptions are the options of `component history`.
type HistoryOptions struct {
	Selection   app.Selection
	IncludeBare bool
	Shared      string
}

func newCmdHistory(a *app.App) *cobra.Command {
	var opts HistoryOptions
	cmd := &cobra.Command{
		Use:     "history [NAME...]",
		Aliases: []string{"hist"},
		Short:   "Show the commits that changed components' configuration and fingerprints",
		Long: `For each selected component: the project commits that touched its
configuration files (its own TOML file, its overlay files and the files of
groups whose defaults apply to it), its customizations (overlays by type and
metadata, build options, source files, a pinned upstream commit) and the
commits that changed its lock file's input fingerprint.

Files declaring several components and group defaults are shared: --shared
omit leaves them (and the commits touching only them) out. Components without
customizations are bare and left out unless --include-bare.`,
		Example: `  azldev component history -a
  azldev component history curl -O json
  azldev component history -a --include-bare --shared omit`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Selection = opts.Selection.With(args)
			return runHistory(cmd.Context(), a, opts)
		},
	}
	opts.Selection.Bind(cmd)
	f := cmd.Flags()
	f.BoolVar(&opts.IncludeBare, "include-bare", false, "also list components without customizations")
	f.StringVar(&opts.Shared, "shared", string(componenthistory.SharedShow), "files and defaults shared with other components: show or omit")
	_ = cmd.RegisterFlagCompletionFunc("shared", app.FixedCompletion(string(componenthistory.SharedShow), string(componenthistory.SharedOmit)))
	cmd.ValidArgsFunction = a.CompleteComponents
	return cmd
}

func runHistory(ctx context.Context, a *app.App, opts HistoryOptions) error {
	shared, err := componenthistory.ParseShared(opts.Shared)
	if err != nil {
		return err
	}
	r, names, err := a.Select(opts.Selection)
	if err != nil {
		return err
	}
	res, err := componenthistory.Collect(ctx, componenthistory.Request{
		Resolver: r, Components: names, IncludeBare: opts.IncludeBare, Shared: shared,
	})
	if err != nil {
		return err
	}
	if res.HiddenBare > 0 {
		a.Log.Info("Bare components left out (--include-bare lists them)", "count", res.HiddenBare)
	}
	return writeHistory(a, res.Entries)
}

// writeHistory prints one row per component.
func writeHistory(a *app.App, entries []componenthistory.Entry) error {
	out, err := a.Output()
	if err != nil {
		return err
	}
	table := output.Rows{Columns: []string{"Component", "TOML Commits", "Customizations", "Fingerprint Changes", "Last Change"}}
	for _, e := range entries {
		table.Rows = append(table.Rows, []string{e.Component, commitCount(e.ConfigCommits), summarize(e.Customizations),
			strconv.Itoa(len(e.FingerprintChanges)), lastChange(e)})
	}
	return out.Write(entries, table)
}

// commitCount is "N", or "N (M shared)" when M of them touched only shared files.
func commitCount(commits []*componenthistory.Commit) string {
	shared := 0
	for _, c := range commits {
		if c.Shared {
			shared++
		}
	}
	if shared == 0 {
		return strconv.Itoa(len(commits))
	}
	return fmt.Sprintf("%d (%d shared)", len(commits), shared)
}

// summarize counts overlays by type and metadata category and lists the
// other customizations, e.g. "overlays: spec-add-tag×2 [upstream-backport×1]; build: with=login".
func summarize(items []componenthistory.Item) string {
	var overlays, metadata, build, other counter
	for _, it := range items {
		switch it.Kind {
		case "overlay":
			overlays.add(it.Type)
			if it.Category != "" {
				metadata.add(it.Category)
			}
		case "build":
			build.add(it.Type + "=" + it.Value)
		default:
			other.add(it.Kind)
		}
	}
	var parts []string
	if len(overlays.keys) > 0 {
		s := "overlays: " + overlays.String()
		if len(metadata.keys) > 0 {
			s += " [" + metadata.String() + "]"
		}
		parts = append(parts, s)
	}
	if len(build.keys) > 0 {
		parts = append(parts, "build: "+strings.Join(build.keys, ", "))
	}
	if len(other.keys) > 0 {
		parts = append(parts, other.String())
	}
	return strings.Join(parts, "; ")
}

// counter counts strings in order of first appearance.
type counter struct {
	keys []string
	n    map[string]int
}

func (c *counter) add(k string) {
	if c.n == nil {
		c.n = map[string]int{}
	}
	if c.n[k] == 0 {
		c.keys = append(c.keys, k)
	}
	c.n[k]++
}

func (c *counter) String() string {
	parts := make([]string, len(c.keys))
	for i, k := range c.keys {
		parts[i] = fmt.Sprintf("%s×%d", k, c.n[k])
	}
	return strings.Join(parts, ", ")
}

// lastChange is the date and short hash of the newest listed commit.
func lastChange(e componenthistory.Entry) string {
	var newest *componenthistory.Commit
	if len(e.ConfigCommits) > 0 {
		newest = e.ConfigCommits[0]
	}
	if f := e.FingerprintChanges; len(f) > 0 && (newest == nil || f[0].Date > newest.Date) {
		newest = &f[0]
	}
	if newest == nil {
		return ""
	}
	return newest.Date[:10] + " " + newest.Hash[:min(7, len(newest.Hash))]
}
