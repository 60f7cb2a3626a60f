package prepare

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/azlforge/azldev/internal/foundation/scratch"
	"github.com/azlforge/azldev/internal/foundation/treediff"
	"github.com/azlforge/azldev/internal/resolve"
)

// diffTag tags Diff's temporary directories (see package scratch).
const diffTag = ".azldev-diff-"

// Diff prepares comp twice in a temporary directory, without and with its
// overlays and build configuration (never in dist-git mode), and compares
// the two trees. Warnings of the first pass, which would only repeat, are
// dropped.
func (p *Preparer) Diff(ctx context.Context, comp *resolve.Component) (treediff.Result, error) {
	_ = scratch.Sweep(os.TempDir(), diffTag) // best effort: killed runs' leftovers
	tmp, release, err := scratch.MkdirTemp(os.TempDir(), "", diffTag)
	if err != nil {
		return treediff.Result{}, err
	}
	defer release()
	defer os.RemoveAll(tmp)
	dirs := [2]string{filepath.Join(tmp, "a"), filepath.Join(tmp, "b")}
	for i, skip := range []bool{true, false} {
		pass := *p
		pass.Opts.OutputDir, pass.Opts.SkipOverlays, pass.Opts.WithoutGit = dirs[i], skip, true
		if skip {
			pass.Opts.Log = slog.New(slog.DiscardHandler)
		}
		if err := pass.Prepare(ctx, comp); err != nil {
			return treediff.Result{}, err
		}
	}
	return treediff.Compare(dirs[0], dirs[1])
}
