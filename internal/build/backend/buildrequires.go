package backend

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/azlforge/azldev/internal/build/localrepo"
	"github.com/azlforge/azldev/internal/foundation/command"
)

// BuildRequiresError lists the BuildRequires the host's rpm database does
// not provide, which an rpmbuild build on the host cannot satisfy.
type BuildRequiresError struct{ Missing []MissingDep }

// MissingDep is a BuildRequires missing on the host, and the local
// repositories whose packages provide it.
type MissingDep struct {
	Dep   string
	Repos []string
}

func (e *BuildRequiresError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d BuildRequires missing from the host's rpm database, which the %s backend builds with:", len(e.Missing), RPMBuildName)
	for _, m := range e.Missing {
		if len(m.Repos) == 0 {
			fmt.Fprintf(&b, "\n  %s: not provided by the host or any local repository", m.Dep)
		} else {
			fmt.Fprintf(&b, "\n  %s: provided by local repository %s, not installed on the host", m.Dep, strings.Join(m.Repos, ", "))
		}
	}
	fmt.Fprintf(&b, "\ninstall them on the host, or build in a chroot with --backend %s", MockName)
	return b.String()
}

// checkBuildRequires returns a *BuildRequiresError when the host's rpm
// database lacks some of the spec's BuildRequires (rpmspec, then one rpm
// query); the local repositories are searched for the missing ones (dnf).
func checkBuildRequires(ctx context.Context, req Request) error {
	deps, err := buildRequires(ctx, req)
	if err != nil || len(deps) == 0 {
		return err
	}
	missing, err := missingOnHost(ctx, deps)
	if err != nil || len(missing) == 0 {
		return err
	}
	e := &BuildRequiresError{}
	for _, dep := range missing {
		var repos []string
		if len(req.LocalRepos) > 0 {
			if repos, err = localrepo.WhatProvides(ctx, req.LocalRepos, dep, filepath.Join(req.WorkDir, "dnf-cache")); err != nil {
				return fmt.Errorf("searching the local repositories for BuildRequires %s: %w", dep, err)
			}
		}
		e.Missing = append(e.Missing, MissingDep{Dep: dep, Repos: repos})
	}
	return e
}

// buildRequires lists the spec's BuildRequires as rpmspec expands them.
func buildRequires(ctx context.Context, req Request) ([]string, error) {
	args := append(defineArgs(macro{"_sourcedir", req.SourcesDir}), "-q", "--buildrequires", req.Spec())
	out, err := command.Run(ctx, command.Cmd{Program: "rpmspec", Args: args})
	if err != nil {
		return nil, err
	}
	return nonEmptyLines(string(out)), nil
}

// missingOnHost returns the dependencies no package of the host's rpm
// database provides: rpm reports each (a missing file on its standard
// error) and fails.
func missingOnHost(ctx context.Context, deps []string) ([]string, error) {
	args := append([]string{"-q", "--whatprovides"}, deps...)
	out, err := command.Run(ctx, command.Cmd{Program: "rpm", Args: args, Env: []string{"LC_ALL=C"}})
	var missing []string
	for _, line := range nonEmptyLines(string(out) + "\n" + stderrOf(err)) {
		if m := notProvided.FindStringSubmatch(line); m != nil {
			missing = append(missing, m[1]+m[2]+m[3])
		}
	}
	if err != nil && (len(missing) == 0 || command.ExitCode(err) <= 0) {
		return nil, err
	}
	slices.SortStableFunc(missing, func(a, b string) int { return rank(deps, a) - rank(deps, b) })
	return missing, nil
}

// rank is dep's position in deps (after them all when absent).
func rank(deps []string, dep string) int {
	if i := slices.Index(deps, dep); i >= 0 {
		return i
	}
	return len(deps)
}

// notProvided matches rpm's reports of a dependency nothing provides.
var notProvided = regexp.MustCompile(`^(?:no package provides (.+)|file (.+) is not owned by any package|error: file (/.*): [^:]+)$`)

func stderrOf(err error) string {
	if e := (*command.Error)(nil); errors.As(err, &e) {
		return e.Stderr
	}
	return ""
}

func nonEmptyLines(s string) []string {
	var lines []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	return lines
}
