package repo

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/azlforge/azldev/internal/foundation/command"
)

// Query is a dnf repoquery over some repositories, with nothing from the
// host's dnf configuration.
type Query struct {
	Repos      []Repo
	Arch       string
	ReleaseVer string
	CacheDir   string   // dnf's metadata cache
	Args       []string // package specs and further repoquery options
}

// Package is one package found.
type Package struct {
	Name    string `json:"name"`
	Epoch   string `json:"epoch"`
	Version string `json:"version"`
	Release string `json:"release"`
	Arch    string `json:"arch"`
	Repo    string `json:"repo"`
}

// packageFormat is the query format Packages parses.
const packageFormat = "%{name}\t%{epoch}\t%{version}\t%{release}\t%{arch}\t%{repoid}\n"

// Packages runs the query and returns the packages found, in dnf's order.
func (q Query) Packages(ctx context.Context) ([]Package, error) {
	var out bytes.Buffer
	if err := q.run(ctx, &out, "--queryformat", packageFormat); err != nil {
		return nil, err
	}
	pkgs := []Package{}
	sc := bufio.NewScanner(&out)
	for sc.Scan() {
		f := strings.Split(sc.Text(), "\t")
		if len(f) == 6 {
			pkgs = append(pkgs, Package{Name: f[0], Epoch: f[1], Version: f[2], Release: f[3], Arch: f[4], Repo: f[5]})
		}
	}
	return pkgs, sc.Err()
}

// Raw runs the query and copies dnf's output to w as it is.
func (q Query) Raw(ctx context.Context, w io.Writer) error { return q.run(ctx, w) }

// run runs dnf repoquery with q's repositories (written to a private
// repository directory) and extra options before q.Args.
func (q Query) run(ctx context.Context, w io.Writer, extra ...string) error {
	if len(q.Repos) == 0 {
		return errors.New("no repositories to query")
	}
	dir, err := os.MkdirTemp("", "azldev-dnf-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	conf := filepath.Join(dir, "dnf.conf")
	if err := os.WriteFile(conf, nil, 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "azldev.repo"), repoFile(q.Repos), 0o644); err != nil {
		return err
	}
	args := []string{"-q", "--config=" + conf, "--setopt=reposdir=" + dir, "--setopt=cachedir=" + q.CacheDir,
		"--nogpgcheck", "--forcearch=" + q.Arch, "--releasever=" + cmp.Or(q.ReleaseVer, "0"), "repoquery"}
	args = append(append(args, extra...), q.Args...)
	_, err = command.Run(ctx, command.Cmd{Program: "dnf", Args: args, Stdout: w})
	if ce := (*command.Error)(nil); errors.As(err, &ce) && ce.ExitCode > 0 {
		return fmt.Errorf("dnf repoquery failed: %s", cmp.Or(ce.Stderr, ce.Err.Error()))
	}
	return err
}

// repoFile is a dnf repository file defining repos.
func repoFile(repos []Repo) []byte {
	var b bytes.Buffer
	for _, r := range repos {
		fmt.Fprintf(&b, "[%s]\nname=%s\nenabled=1\ngpgcheck=0\nskip_if_unavailable=0\n", r.ID, r.ID)
		if r.BaseURL != "" {
			fmt.Fprintf(&b, "baseurl=%s\n", r.BaseURL)
		}
		if r.Metalink != "" {
			fmt.Fprintf(&b, "metalink=%s\n", r.Metalink)
		}
		b.WriteString("\n")
	}
	return b.Bytes()
}
