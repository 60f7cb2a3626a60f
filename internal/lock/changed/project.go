package changed

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/azlforge/azldev/internal/config"
	"github.com/azlforge/azldev/internal/foundation/command"
	"github.com/azlforge/azldev/internal/foundation/git"
)

// ProjectRequest compares the lock files of a project between two revisions
// of the git repository that holds it.
type ProjectRequest struct {
	Config           *config.Config
	From, To         string
	Components       []string
	Configured       func(name string) bool // see Request.Configured
	All              bool
	IncludeUnchanged bool
	Log              *slog.Logger
}

// CompareProject finds the project's repository and its lock and rendered
// specs directories in it, then compares the two revisions. The rendered
// sources comparison is skipped, with a warning, when that directory lies
// outside the repository.
func CompareProject(ctx context.Context, req ProjectRequest) ([]Row, error) {
	cfg := req.Config
	repo, err := git.RepoRoot(ctx, cfg.ProjectDir)
	if errors.Is(err, git.ErrNotRepository) || command.ExitCode(err) > 0 {
		return nil, fmt.Errorf("comparing revisions needs the project in a git repository: %w", err)
	}
	if err != nil {
		return nil, err
	}
	lockDir, err := git.RepoPath(repo, cfg.Project.LockDir)
	if err != nil {
		return nil, fmt.Errorf("lock directory: %w", err)
	}
	renderedDir, err := git.RepoPath(repo, cfg.Project.RenderedSpecsDir)
	if err != nil {
		req.Log.Warn("Not comparing rendered sources files", "reason", err)
		renderedDir = ""
	}
	req.Log.Debug("Comparing lock files", "repo", repo, "lockDir", lockDir, "renderedDir", renderedDir, "from", req.From, "to", req.To)
	return Compare(ctx, Request{
		Repo: repo, From: req.From, To: req.To,
		LockDir: lockDir, RenderedDir: renderedDir,
		Components: req.Components, Configured: req.Configured,
		All: req.All, IncludeUnchanged: req.IncludeUnchanged,
	})
}
