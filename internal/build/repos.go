package build

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/azlforge/azldev/internal/build/localrepo"
)

// publish adds rpms to the publish repository.
func (b *Builder) publish(ctx context.Context, rpms []string) error {
	if err := localrepo.Publish(ctx, b.Opts.PublishRepo, rpms); err != nil {
		return fmt.Errorf("publishing to %s: %w", b.Opts.PublishRepo, err)
	}
	return nil
}

// checkRepos checks the local repositories before anything is built, and
// gives the publish repository metadata when it has none yet, so that
// builds can take packages from it too. It returns every repository builds
// take packages from, and sets PublishRepo to its absolute path.
func (b *Builder) checkRepos(ctx context.Context) ([]string, error) {
	out, err := localrepo.Abs(b.Opts.OutputDir)
	if err != nil {
		return nil, err
	}
	repos, err := absAll(b.Opts.LocalRepos)
	if err != nil {
		return nil, err
	}
	publish := ""
	if b.Opts.PublishRepo != "" {
		if publish, err = localrepo.Abs(b.Opts.PublishRepo); err != nil {
			return nil, err
		}
		if slices.Contains(repos, publish) {
			return nil, fmt.Errorf("local repository %s is given both with --local-repo and --local-repo-with-publish; builds read the published repository already", publish)
		}
	}
	for _, r := range repos {
		if err := errors.Join(localrepo.CheckOutside(r, out), localrepo.Check(r)); err != nil {
			return nil, err
		}
	}
	if publish == "" {
		return repos, nil
	}
	if err := errors.Join(localrepo.CheckOutside(publish, out), localrepo.CheckPublish(publish)); err != nil {
		return nil, err
	}
	b.Opts.PublishRepo = publish
	return append(repos, publish), localrepo.Publish(ctx, publish, nil)
}

func absAll(dirs []string) ([]string, error) {
	out := make([]string, len(dirs))
	for i, d := range dirs {
		abs, err := localrepo.Abs(d)
		if err != nil {
			return nil, err
		}
		out[i] = abs
	}
	return out, nil
}
