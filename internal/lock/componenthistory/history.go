// Package componenthistory tells, per component, which project commits
// touched its configuration files, what it customizes (overlays by type and
// metadata, build options, source files, a pinned commit) and which commits
// changed its lock's input fingerprint. The whole project's history is read
// with one `git log` and the lock versions with one `git cat-file --batch`,
// however many components are asked for.
package componenthistory

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/azlforge/azldev/internal/foundation/command"
	"github.com/azlforge/azldev/internal/foundation/git"
	"github.com/azlforge/azldev/internal/resolve"
)

// Shared says what to do with files and customizations a component shares
// with others: a file declaring several components, or a group's defaults.
type Shared string

// Shared modes.
const (
	SharedShow Shared = "show" // count them, marked shared
	SharedOmit Shared = "omit" // leave them out
)

// ParseShared validates a --shared value.
func ParseShared(s string) (Shared, error) {
	if m := Shared(s); m == SharedShow || m == SharedOmit {
		return m, nil
	}
	return "", fmt.Errorf("invalid --shared %q (want show or omit)", s)
}

// Request asks for the history of some components.
type Request struct {
	Resolver   *resolve.Resolver
	Components []string
	// IncludeBare keeps components without any customization.
	IncludeBare bool
	Shared      Shared
}

// Entry is one component's history (the JSON row of `component history`).
type Entry struct {
	Component          string    `json:"component"`
	ConfigFiles        []File    `json:"configFiles"`
	ConfigCommits      []*Commit `json:"configCommits"` // shared by the components a commit touched alike
	Customizations     []Item    `json:"customizations"`
	FingerprintChanges []Commit  `json:"fingerprintChanges"`
}

// File is a configuration file of a component.
type File struct {
	Path   string `json:"path"`             // relative to the project directory when inside it
	Kind   string `json:"kind"`             // "component", "overlay-file" or "group"
	Shared bool   `json:"shared,omitempty"` // it configures other components too
}

// Commit is a project commit, newest first in lists.
type Commit struct {
	Hash    string `json:"hash"`
	Author  string `json:"author"`
	Email   string `json:"email"`
	Date    string `json:"date"` // author date, RFC 3339 in UTC
	Subject string `json:"subject"`
	// Files are the component's configuration files the commit touched.
	Files []string `json:"files,omitempty"`
	// Shared is set when every file it touched is shared.
	Shared bool `json:"shared,omitempty"`
	// Fingerprint and UpstreamCommit are the lock's after a fingerprint change.
	Fingerprint    string `json:"fingerprint,omitempty"`
	UpstreamCommit string `json:"upstreamCommit,omitempty"`
}

// Result is the history of the requested components.
type Result struct {
	Entries    []Entry // sorted by component
	HiddenBare int     // bare components left out
}

// Collect returns the history of the requested components, without bare
// ones unless req.IncludeBare. The project must be in a git repository.
func Collect(ctx context.Context, req Request) (*Result, error) {
	cfg := req.Resolver.Config()
	repo, err := git.RepoRoot(ctx, cfg.ProjectDir)
	if errors.Is(err, git.ErrNotRepository) || command.ExitCode(err) > 0 {
		return nil, fmt.Errorf("component history needs the project in a git repository: %w", err)
	}
	if err != nil {
		return nil, err
	}
	lockDir, err := git.RepoPath(repo, cfg.Project.LockDir)
	if err != nil {
		return nil, fmt.Errorf("lock directory: %w", err)
	}
	profiles, err := readProfiles(ctx, req)
	if err != nil {
		return nil, err
	}
	res := &Result{}
	if !req.IncludeBare {
		n := len(profiles)
		profiles = slices.DeleteFunc(profiles, func(p profile) bool { return len(p.items) == 0 })
		res.HiddenBare = n - len(profiles)
	}
	idx := newIndex(repo, lockDir, profiles)
	commits, err := readLog(ctx, git.Repo{Dir: repo}, idx.pathspecs())
	if err != nil {
		return nil, err
	}
	entries := idx.assign(commits)
	if err := readFingerprints(ctx, git.Repo{Dir: repo}, idx, commits, entries); err != nil {
		return nil, err
	}
	slices.SortFunc(entries, func(a, b Entry) int { return strings.Compare(a.Component, b.Component) })
	res.Entries = entries
	return res, nil
}
