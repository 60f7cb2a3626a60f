package localrepo

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/azlforge/azldev/internal/foundation/command"
)

// WhatProvides returns the repositories among repos holding a package that
// provides dep (a dependency as rpm writes it: a name, a file, a versioned
// or a rich dependency). It asks dnf, the resolver that installs build
// dependencies in build roots, so the answer is the one a build would get;
// dnf keeps its cache in cacheDir, never in the system's.
func WhatProvides(ctx context.Context, repos []string, dep, cacheDir string) ([]string, error) {
	out, err := command.Run(ctx, command.Cmd{Program: "dnf", Args: repoqueryArgs(repos, dep, cacheDir), Env: []string{"LC_ALL=C"}})
	if err != nil {
		return nil, err
	}
	var found []string
	for _, id := range strings.Fields(string(out)) {
		n, ok := strings.CutPrefix(id, repoIDPrefix)
		i, err := strconv.Atoi(n)
		if ok && err == nil && i >= 0 && i < len(repos) && !slices.Contains(found, repos[i]) {
			found = append(found, repos[i])
		}
	}
	return found, nil
}

// repoIDPrefix names the repositories dnf is given: azldev-local-<index>.
const repoIDPrefix = "azldev-local-"

// repoqueryArgs asks dnf which of repos (only those) provide dep, printing
// the repository id of each provider.
func repoqueryArgs(repos []string, dep, cacheDir string) []string {
	args := []string{"repoquery", "--quiet", "--setopt=cachedir=" + cacheDir, "--releasever=azldev"}
	for i, r := range repos {
		id := fmt.Sprintf("%s%d", repoIDPrefix, i)
		args = append(args, "--repofrompath="+id+","+r, "--repo="+id)
	}
	return append(args, "--qf", "%{repoid}", "--whatprovides", dep)
}
