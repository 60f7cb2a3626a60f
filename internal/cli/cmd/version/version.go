// Package version holds `azldev version`.
package version

import (
	"runtime"
	"runtime/debug"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/azlforge/azldev/internal/cli/app"
	"github.com/azlforge/azldev/internal/cli/output"
)

// Build information, settable with -ldflags "-X github.com/azlforge/azldev/internal/cli/cmd/version.Version=...".
var (
	Version    = "dev"
	GitCommit  = ""
	BuildDate  = ""
	CommitDate = ""
)

type versionInfo struct {
	Version    string `json:"version"`
	GitCommit  string `json:"gitCommit"`
	GoVersion  string `json:"goVersion"`
	Platform   string `json:"platform"`
	Compiler   string `json:"compiler"`
	BuildDate  string `json:"buildDate"`
	CommitDate string `json:"commitDate"`
	DirtyBuild bool   `json:"dirtyBuild"`
}

func currentVersion() versionInfo {
	v := versionInfo{Version: Version, GitCommit: GitCommit, GoVersion: runtime.Version(),
		Platform: runtime.GOOS + "/" + runtime.GOARCH, Compiler: runtime.Compiler, BuildDate: BuildDate, CommitDate: CommitDate}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				if v.GitCommit == "" {
					v.GitCommit = s.Value
				}
			case "vcs.time":
				if v.CommitDate == "" {
					v.CommitDate = s.Value
				}
			case "vcs.modified":
				v.DirtyBuild = s.Value == "true"
			}
		}
		if v.Version == "dev" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			v.Version = bi.Main.Version
		}
	}
	return v
}

// NewCmd returns `azldev version`.
func NewCmd(a *app.App) *cobra.Command {
	return &cobra.Command{
		Use:     "version",
		Aliases: []string{"ver"},
		Short:   "Print version information",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			out, err := a.Output()
			if err != nil {
				return err
			}
			v := currentVersion()
			rows := output.Rows{Columns: []string{"Field", "Value"}, Rows: [][]string{
				{"version", v.Version}, {"git commit", v.GitCommit}, {"go version", v.GoVersion},
				{"platform", v.Platform}, {"compiler", v.Compiler}, {"build date", v.BuildDate}, {"commit date", v.CommitDate},
				{"dirty build", strconv.FormatBool(v.DirtyBuild)},
			}}
			return out.Write(v, rows)
		},
	}
}
