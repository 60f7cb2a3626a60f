// Package changed reports which components' build inputs differ between two
// revisions of the project repository. It compares the committed lock files
// (their input fingerprints) and the committed rendered `sources` files,
// reading each revision's trees with one git process and all needed lock
// contents with one more, however many components there are.
package changed

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/azlforge/azldev/internal/foundation/command"
	"github.com/azlforge/azldev/internal/foundation/git"
	"github.com/azlforge/azldev/internal/foundation/parallel"
)

// Type classifies what happened to a component's lock between two revisions.
type Type string

// Change types, as printed in the changeType field.
const (
	Added     Type = "added"     // the lock exists only in the newer revision
	Changed   Type = "changed"   // the input fingerprint differs (or a configured component lost its lock)
	Unchanged Type = "unchanged" // same fingerprint, or no lock in either revision
	Deleted   Type = "deleted"   // the lock exists only in the older revision and the component is gone
)

// Row is the result for one component (the JSON row of `component changed`).
type Row struct {
	Component     string `json:"component"`
	ChangeType    Type   `json:"changeType"`
	SourcesChange bool   `json:"sourcesChange"`
}

// Request describes one comparison.
type Request struct {
	Repo        string // top of the project's git work tree
	From, To    string // the older and the newer revision
	LockDir     string // lock directory relative to Repo, slash-separated (see git.RepoPath)
	RenderedDir string // rendered specs directory relative to Repo; "" skips the sources comparison
	Components  []string
	// Configured reports whether a component exists in the current
	// configuration; nil means "listed in Components".
	Configured func(name string) bool
	// All also reports lock names found in either revision that are not
	// configured, and hides unchanged rows without a sources change.
	All bool
	// IncludeUnchanged keeps the rows All would hide.
	IncludeUnchanged bool
}

// ErrUnknownRevision is wrapped by errors about revisions git cannot resolve to a commit.
var ErrUnknownRevision = errors.New("unknown revision")

// DriftError lists components whose fingerprint did not change while their
// committed rendered sources file did: the rendered tree is out of date.
type DriftError struct {
	Components []string
}

func (e *DriftError) Error() string {
	quoted := make([]string, len(e.Components))
	for i, c := range e.Components {
		quoted[i] = "`" + c + "`"
	}
	return fmt.Sprintf("found %d component(s) with unchanged fingerprint but drifted rendered sources (run 'azldev component render' and commit the result): %s",
		len(e.Components), strings.Join(quoted, ", "))
}

// Compare classifies the requested components between req.From and req.To
// and returns the rows sorted by component name. A component whose
// fingerprint is unchanged but whose rendered sources changed makes it fail
// with a *DriftError.
func Compare(ctx context.Context, req Request) ([]Row, error) {
	g := git.Repo{Dir: req.Repo}
	snaps, err := readRevisions(ctx, g, req)
	if err != nil {
		return nil, err
	}
	names := componentNames(req, snaps[0], snaps[1])
	fps, err := readFingerprints(ctx, g, req.LockDir, names, snaps[0], snaps[1])
	if err != nil {
		return nil, err
	}
	rows := classifyAll(req, names, snaps[0].sides(fps), snaps[1].sides(fps))
	if drift := drifted(rows); len(drift) > 0 {
		return nil, &DriftError{Components: drift}
	}
	return visible(req, rows), nil
}

// readRevisions reads the snapshots of req.From and req.To concurrently.
func readRevisions(ctx context.Context, g git.Repo, req Request) ([2]*snapshot, error) {
	snaps, err := parallel.Map(ctx, []string{req.From, req.To}, parallel.Options{Limit: 2},
		func(ctx context.Context, _ int, rev string) (*snapshot, error) {
			id, err := resolveCommit(ctx, g, rev)
			if err != nil {
				return nil, err
			}
			return readSnapshot(ctx, g, id, req.LockDir, req.RenderedDir)
		})
	if err != nil {
		return [2]*snapshot{}, unwrapItem(err)
	}
	return [2]*snapshot(snaps), nil
}

// unwrapItem drops parallel's item naming: errors here name the revision.
func unwrapItem(err error) error {
	if ie := (*parallel.ItemError)(nil); errors.As(err, &ie) {
		return ie.Err
	}
	return err
}

// resolveCommit turns a revision into a commit id. Only git's refusal of
// the revision is an unknown revision; a missing git or a cancellation is
// reported as such.
func resolveCommit(ctx context.Context, g git.Repo, rev string) (string, error) {
	if rev == "" || strings.HasPrefix(rev, "-") {
		return "", fmt.Errorf("%w `%s`", ErrUnknownRevision, rev)
	}
	id, err := g.Output(ctx, "rev-parse", "--verify", "--quiet", rev+"^{commit}")
	if err != nil && command.ExitCode(err) <= 0 {
		return "", err
	}
	if err != nil || id == "" {
		return "", fmt.Errorf("%w `%s`: no such commit in %s", ErrUnknownRevision, rev, g.Dir)
	}
	return id, nil
}

// componentNames is the requested components plus, with All, every
// unconfigured lock name of either revision; without duplicates.
func componentNames(req Request, a, b *snapshot) []string {
	seen := make(map[string]bool, len(req.Components))
	var names []string
	add := func(n string) {
		if !seen[n] {
			seen[n] = true
			names = append(names, n)
		}
	}
	for _, n := range req.Components {
		add(n)
	}
	if !req.All {
		return names
	}
	configured := configuredFunc(req, seen)
	for _, s := range []*snapshot{a, b} {
		for _, n := range s.lockNames() {
			if !configured(n) {
				add(n)
			}
		}
	}
	return names
}

// configuredFunc returns req.Configured, or membership in the requested set.
func configuredFunc(req Request, requested map[string]bool) func(string) bool {
	if req.Configured != nil {
		return req.Configured
	}
	return func(n string) bool { return requested[n] }
}

// classifyAll builds the rows of names, sorted by name.
func classifyAll(req Request, names []string, from, to func(string) side) []Row {
	requested := make(map[string]bool, len(req.Components))
	for _, n := range req.Components {
		requested[n] = true
	}
	configured := configuredFunc(req, requested)
	rows := make([]Row, 0, len(names))
	for _, n := range names {
		a, b := from(n), to(n)
		rows = append(rows, Row{Component: n, ChangeType: classify(a, b, configured(n)), SourcesChange: a.sources != b.sources})
	}
	slices.SortFunc(rows, func(x, y Row) int { return strings.Compare(x.Component, y.Component) })
	return rows
}

// side is what one revision holds for a component.
type side struct {
	lock        string // blob id of the lock file; "" when absent
	fingerprint string // its input-fingerprint (read only when the two locks differ)
	sources     string // blob id of the rendered sources file; "" when absent
}

// classify compares a component's locks in the older (a) and newer (b)
// revision. A lock that disappeared counts as a change while the component
// is still configured.
func classify(a, b side, configured bool) Type {
	switch {
	case a.lock == "" && b.lock == "":
		return Unchanged
	case a.lock == "":
		return Added
	case b.lock == "" && configured:
		return Changed
	case b.lock == "":
		return Deleted
	case a.lock != b.lock && a.fingerprint != b.fingerprint:
		return Changed
	}
	return Unchanged
}

// drifted names the unchanged components whose rendered sources changed.
func drifted(rows []Row) []string {
	var out []string
	for _, r := range rows {
		if r.ChangeType == Unchanged && r.SourcesChange {
			out = append(out, r.Component)
		}
	}
	return out
}

// visible drops, for All without IncludeUnchanged, the rows that changed nothing.
func visible(req Request, rows []Row) []Row {
	if !req.All || req.IncludeUnchanged {
		return rows
	}
	return slices.DeleteFunc(rows, func(r Row) bool { return r.ChangeType == Unchanged && !r.SourcesChange })
}
