package repo

import (
	"context"
	"errors"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/azlforge/azldev/internal/cli/app"
	"github.com/azlforge/azldev/internal/cli/output"
	"github.com/azlforge/azldev/internal/foundation/cachedir"
	"github.com/azlforge/azldev/internal/rpm/repo"
)

// QueryOptions are the options of `repo query`.
type QueryOptions struct {
	Prefixes []string
	Template string
	Arch     string
	Version  string
	UseCase  string
	Raw      bool
	Args     []string
}

func newCmdQuery(a *app.App) *cobra.Command {
	var opts QueryOptions
	cmd := &cobra.Command{
		Use:   "query [PACKAGE...] [-- DNF-REPOQUERY-OPTION...]",
		Short: "Query RPM repositories with dnf repoquery",
		Long: `Run dnf repoquery over RPM repositories, ignoring the host's dnf
configuration. The repositories are each --repo-prefix URL laid out by the
--template's sub-repositories (for instance base/$basearch), or, without
--repo-prefix, the rpm-build (or --use-case image-build) inputs of a version
of the project's default distro. Arguments are package specs and, after --,
further repoquery options. The packages found are listed as a table (or -O
json, csv, markdown); --raw prints dnf's own output instead. Needs dnf.`,
		Example: `  azldev repo query --repo-prefix https://example.org/azl/4.0 bash
  azldev repo query --version 4.0 --use-case image-build -- --whatprovides /usr/bin/python3
  azldev repo query --repo-prefix file:///srv/repo --template koji-dist-repo --raw -- --info curl`,
		RunE: func(cmd *cobra.Command, args []string) error {
			f := cmd.Flags()
			if len(opts.Prefixes) > 0 && (f.Changed("version") || f.Changed("use-case")) {
				return app.NewUsageError(cmd, errors.New("--repo-prefix cannot be combined with --version or --use-case"))
			}
			if len(opts.Prefixes) == 0 && f.Changed("template") {
				return app.NewUsageError(cmd, errors.New("--template needs --repo-prefix"))
			}
			opts.Args = args
			return runQuery(cmd.Context(), a, opts)
		},
	}
	f := cmd.Flags()
	f.StringArrayVar(&opts.Prefixes, "repo-prefix", nil, "URL of a repository tree laid out by --template (repeatable)")
	f.StringVar(&opts.Template, "template", "azl-standard", "repository-set template laying out each --repo-prefix")
	f.StringVar(&opts.Arch, "arch", app.HostArch(), "architecture ($basearch)")
	f.StringVar(&opts.Version, "version", "", "default distro version whose inputs to query (default: the project's)")
	f.StringVar(&opts.UseCase, "use-case", repo.UseRPMBuild, "inputs to query: rpm-build or image-build")
	f.BoolVar(&opts.Raw, "raw", false, "print dnf's output as it is")
	_ = cmd.RegisterFlagCompletionFunc("use-case", app.FixedCompletion(repo.UseRPMBuild, repo.UseImageBuild))
	_ = cmd.RegisterFlagCompletionFunc("arch", app.FixedCompletion("x86_64", "aarch64"))
	return cmd
}

func runQuery(ctx context.Context, a *app.App, opts QueryOptions) error {
	cfg, err := a.Project()
	if err != nil {
		return err
	}
	q := repo.Query{Arch: opts.Arch, Args: opts.Args, CacheDir: dnfCache()}
	if len(opts.Prefixes) > 0 {
		q.Repos, err = repo.FromPrefixes(cfg, opts.Prefixes, opts.Template, opts.Arch)
	} else {
		q.Repos, q.ReleaseVer, err = repo.FromDistro(cfg, opts.Version, opts.UseCase, opts.Arch)
	}
	if err != nil {
		return err
	}
	if opts.Raw {
		return q.Raw(ctx, a.Stdout)
	}
	pkgs, err := q.Packages(ctx)
	if err != nil {
		return err
	}
	return writePackages(a, pkgs)
}

// dnfCache is where dnf keeps repository metadata for azldev.
func dnfCache() string {
	root, _ := cachedir.Root()
	return filepath.Join(root, "dnf")
}

// writePackages prints the packages found.
func writePackages(a *app.App, pkgs []repo.Package) error {
	out, err := a.Output()
	if err != nil {
		return err
	}
	rows := output.Rows{Columns: []string{"Name", "Epoch", "Version", "Release", "Arch", "Repo"}}
	for _, p := range pkgs {
		rows.Rows = append(rows.Rows, []string{p.Name, p.Epoch, p.Version, p.Release, p.Arch, p.Repo})
	}
	app.SortRows(rows.Rows)
	return out.Write(pkgs, rows)
}
