package lookaside

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/azlforge/azldev/internal/foundation/parallel"
	"github.com/azlforge/azldev/internal/foundation/safepath"
	"github.com/azlforge/azldev/internal/source/sourcesfile"
)

// job is one lookaside file to fetch.
type job struct {
	entry sourcesfile.Entry
	url   string
	dest  string
}

// FetchSources downloads the files listed in <dir>/sources from the
// lookaside cache described by template (see URL) into dir, as mode 0600
// files. Entries for which skip (may be nil) returns true, and files already
// present in dir, are left alone; a missing sources file means nothing to
// do. Every entry is validated (plain file name, known hash type, valid
// URL) before any network access. Up to Concurrency files are fetched at a
// time; on failure the error of the earliest failing entry, in file order,
// is returned and later entries are abandoned.
func (d *Downloader) FetchSources(ctx context.Context, dir, pkg, template string, skip func(name string) bool) error {
	jobs, err := d.planSources(dir, pkg, template, skip)
	if err != nil {
		return fmt.Errorf("fetching lookaside sources of %s: %w", pkg, err)
	}
	if err := d.runJobs(ctx, jobs); err != nil {
		return fmt.Errorf("fetching lookaside sources of %s: %w", pkg, err)
	}
	return nil
}

// planSources reads and validates the sources file and returns the files
// that need fetching.
func (d *Downloader) planSources(dir, pkg, template string, skip func(string) bool) ([]job, error) {
	path := filepath.Join(dir, sourcesfile.FileName)
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		d.logger().Debug("no sources file", "path", path)
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	file, err := sourcesfile.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var jobs []job
	for _, e := range file.Entries() {
		j, err := makeJob(dir, pkg, template, e)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if d.wanted(j, skip) {
			jobs = append(jobs, j)
		}
	}
	return jobs, nil
}

func makeJob(dir, pkg, template string, e sourcesfile.Entry) (job, error) {
	if err := safepath.CheckFileName(e.Filename); err != nil {
		return job{}, err
	}
	if _, err := parseDigest(e.HashType, e.Hash); err != nil {
		return job{}, fmt.Errorf("%s: %w", e.Filename, err)
	}
	u, err := URL(template, pkg, e.Filename, e.HashType, e.Hash)
	if err != nil {
		return job{}, err
	}
	return job{entry: e, url: u, dest: filepath.Join(dir, e.Filename)}, nil
}

// wanted reports whether j must be fetched, logging why not.
func (d *Downloader) wanted(j job, skip func(string) bool) bool {
	name := j.entry.Filename
	if skip != nil && skip(name) {
		d.logger().Debug("skipping lookaside file", "file", name, "reason", "skipped by caller")
		return false
	}
	if _, err := os.Lstat(j.dest); err == nil {
		d.logger().Debug("skipping lookaside file", "file", name, "reason", "already present")
		return false
	}
	return true
}

// runJobs fetches jobs concurrently (within the Downloader's connection
// limit). When job i fails, jobs after i are cancelled or never started
// while earlier ones run to the end, so the reported error (the lowest
// failing index) is deterministic.
func (d *Downloader) runJobs(ctx context.Context, jobs []job) error {
	_, err := parallel.Map(ctx, jobs, parallel.Options{Limit: d.concurrency(), Name: func(i int) string { return jobs[i].entry.Filename }},
		func(ctx context.Context, _ int, j job) (struct{}, error) {
			return struct{}{}, d.Fetch(ctx, j.url, j.dest, j.entry.HashType, j.entry.Hash)
		})
	return err
}
