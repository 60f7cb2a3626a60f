package lookaside

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

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

// runJobs fetches jobs with bounded concurrency. When job i fails, jobs
// after i are cancelled or never started while earlier ones run to the
// end, so the reported error (the lowest failing index) is deterministic.
func (d *Downloader) runJobs(ctx context.Context, jobs []job) error {
	if len(jobs) == 0 {
		return nil
	}
	r := newRunner(ctx, len(jobs))
	defer r.cancelAll()
	sem := make(chan struct{}, d.concurrency())
	var wg sync.WaitGroup
	for i, j := range jobs {
		jctx, ok := r.start(i)
		if !ok {
			break
		}
		select {
		case sem <- struct{}{}:
		case <-jctx.Done():
			r.finish(i, jctx.Err())
			continue
		}
		wg.Go(func() {
			defer func() { <-sem }()
			e := j.entry
			r.finish(i, d.Fetch(jctx, j.url, j.dest, e.HashType, e.Hash))
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return err
	}
	return r.firstError(jobs)
}

// runner tracks per-job contexts and the lowest failed index.
type runner struct {
	mu      sync.Mutex
	parent  context.Context
	cancels []context.CancelFunc
	errs    []error
	failed  int // lowest failed index, len(errs) if none
}

func newRunner(ctx context.Context, n int) *runner {
	return &runner{parent: ctx, cancels: make([]context.CancelFunc, n), errs: make([]error, n), failed: n}
}

// start creates the context of job i, or reports false when an earlier job
// already failed.
func (r *runner) start(i int) (context.Context, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if i > r.failed {
		return nil, false
	}
	ctx, cancel := context.WithCancel(r.parent)
	r.cancels[i] = cancel
	return ctx, true
}

// finish records the outcome of job i and, on failure, cancels later jobs.
func (r *runner) finish(i int, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errs[i] = err
	if err == nil || i >= r.failed {
		return
	}
	r.failed = i
	for _, cancel := range r.cancels[i+1:] {
		if cancel != nil {
			cancel()
		}
	}
}

func (r *runner) cancelAll() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, cancel := range r.cancels {
		if cancel != nil {
			cancel()
		}
	}
}

// firstError returns the error of the lowest failed job.
func (r *runner) firstError(jobs []job) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.failed == len(r.errs) {
		return nil
	}
	return fmt.Errorf("%s: %w", jobs[r.failed].entry.Filename, r.errs[r.failed])
}
