package lookaside

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/azlforge/azldev/internal/foundation/parallel"
)

// Defaults. DefaultRetries is the customary number of attempts (callers set
// Retries explicitly); the others replace zero-valued Downloader fields.
const (
	DefaultRetries      = 3
	DefaultInitialDelay = 2 * time.Second
	DefaultMaxDelay     = 30 * time.Second
	DefaultReadTimeout  = 60 * time.Second
	DefaultConcurrency  = 4
)

// Downloader fetches files over HTTP(S) with retries, hash verification,
// atomic placement and an optional content-addressed cache. The zero value
// is usable (one attempt, no cache); a Downloader is safe for concurrent use once configured.
type Downloader struct {
	// Client performs HTTP(S) requests; nil means http.DefaultClient.
	// file: URLs are always read from the local file system.
	Client *http.Client
	// Retries is the number of attempts per file (DefaultRetries is the
	// CLI default); values < 1, including zero, mean 1.
	Retries int
	// InitialDelay is the wait before the second attempt; it doubles for
	// each further attempt, up to MaxDelay. Zero means the defaults.
	InitialDelay, MaxDelay time.Duration
	// ReadTimeout bounds every wait for data within an attempt (for the
	// response headers and for each chunk of the body), so a stalled
	// connection fails the attempt. Zero means DefaultReadTimeout.
	ReadTimeout time.Duration
	// CacheDir is the root of the local content-addressed cache, holding
	// <hashtype>/<hash[:2]>/<hash>; empty disables the cache.
	CacheDir string
	// Concurrency bounds the downloads in progress at a time across every
	// call of this Downloader; zero means DefaultConcurrency. It is read once,
	// at the first download.
	Concurrency int
	// Log receives debug and warning messages; nil discards them.
	Log *slog.Logger
	// DryRun logs what would be fetched and writes nothing.
	DryRun bool

	limitOnce sync.Once
	limit     *parallel.Limiter // the connection limit shared by every call
}

// Fetch downloads url (http, https or file) to dest and verifies it against
// hash, a hex digest of type hashType (SHA256 or SHA512; MD5 and SHA1 for
// legacy sources files). A verified copy in the cache is used without any
// network access. dest's directory must exist; an existing dest is replaced
// atomically and the new file has mode 0600. Download failures are reported
// as *Error; invalid arguments are rejected before any network access.
func (d *Downloader) Fetch(ctx context.Context, url, dest, hashType, hash string) error {
	if hash == "" {
		return fmt.Errorf("downloading %s to %s: no hash given", url, dest)
	}
	return d.FetchURL(ctx, url, dest, hashType, hash)
}

// FetchURL is like Fetch, except that an empty hash is allowed: the file is
// then neither verified nor cached, but still placed atomically.
func (d *Downloader) FetchURL(ctx context.Context, url, dest, hashType, hash string) error {
	want, err := parseDigest(hashType, hash)
	if err != nil {
		return fmt.Errorf("downloading %s to %s: %w", url, dest, err)
	}
	if dest == "" {
		return fmt.Errorf("downloading %s: empty destination", url)
	}
	if err := checkScheme(url); err != nil {
		return fmt.Errorf("downloading %s to %s: %w", url, dest, err)
	}
	if err := ctx.Err(); err != nil {
		return &Error{URL: url, Dest: dest, MaxAttempts: d.attempts(), Err: err}
	}
	if want != nil && d.fromCache(dest, want) {
		return nil
	}
	if d.DryRun {
		d.logger().Info("dry run: would download", "url", url, "dest", dest)
		return nil
	}
	if err := d.download(ctx, url, dest, want); err != nil {
		return err
	}
	if want != nil {
		d.toCache(dest, want)
	}
	return nil
}

// download runs attempts until one succeeds, a failure is permanent, the
// attempts are exhausted or ctx is done.
func (d *Downloader) download(ctx context.Context, url, dest string, want *digest) error {
	limit := d.attempts()
	fail := func(n int, err error) error {
		var p *permanentError
		e := &Error{URL: url, Dest: dest, Attempts: n, MaxAttempts: limit, Err: err}
		if errors.As(err, &p) {
			e.Err = p.err
		}
		e.Permanent = isPermanent(err)
		return e
	}
	for n := 1; ; n++ {
		err := d.limitedAttempt(ctx, url, dest, want)
		if err == nil {
			d.logger().Debug("downloaded", "url", url, "dest", dest, "attempt", n)
			return nil
		}
		if ctx.Err() != nil {
			return fail(n, ctx.Err())
		}
		if n >= limit || isPermanent(err) {
			return fail(n, err)
		}
		delay := d.backoff(n)
		d.logger().Warn("download failed, retrying", "url", url, "attempt", n, "of", limit, "in", delay, "error", err)
		if err := sleep(ctx, delay); err != nil {
			return fail(n, err)
		}
	}
}

// limitedAttempt makes one attempt once the connection limit allows it.
func (d *Downloader) limitedAttempt(ctx context.Context, url, dest string, want *digest) error {
	d.limitOnce.Do(func() { d.limit = parallel.NewLimiter(d.concurrency()) })
	if err := d.limit.Acquire(ctx); err != nil {
		return err
	}
	defer d.limit.Release()
	return d.attempt(ctx, url, dest, want)
}

// backoff returns the wait after failed attempt n (1-based).
func (d *Downloader) backoff(n int) time.Duration {
	delay, limit := d.InitialDelay, d.MaxDelay
	if delay <= 0 {
		delay = DefaultInitialDelay
	}
	if limit <= 0 {
		limit = DefaultMaxDelay
	}
	for i := 1; i < n && delay < limit; i++ {
		delay *= 2
	}
	return min(delay, limit)
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func (d *Downloader) attempts() int {
	return max(d.Retries, 1)
}

// fileClient serves file: URLs from the local file system.
var fileClient = &http.Client{Transport: http.NewFileTransportFS(os.DirFS("/"))}

func (d *Downloader) client(scheme string) *http.Client {
	if scheme == "file" {
		return fileClient
	}
	if d.Client != nil {
		return d.Client
	}
	return http.DefaultClient
}

func (d *Downloader) readTimeout() time.Duration {
	if d.ReadTimeout > 0 {
		return d.ReadTimeout
	}
	return DefaultReadTimeout
}

func (d *Downloader) concurrency() int {
	if d.Concurrency > 0 {
		return d.Concurrency
	}
	return DefaultConcurrency
}

func (d *Downloader) logger() *slog.Logger {
	if d.Log != nil {
		return d.Log
	}
	return slog.New(slog.DiscardHandler)
}
