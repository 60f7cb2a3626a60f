package lookaside

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var (
	data     = payload(200_000, 1)
	dataHash = sha512Hex(data)
)

// fetchOnce runs Fetch of "<server>/f" into a fresh directory, with a fresh
// cache, and returns the directory, the cache and the error.
func fetchOnce(t *testing.T, s *server, d *Downloader, hash string) (dir, cache string, err error) {
	t.Helper()
	dir, cache = t.TempDir(), t.TempDir()
	d.CacheDir = cache
	err = d.Fetch(t.Context(), s.URL+"/f", filepath.Join(dir, "f.tar"), "SHA512", hash)
	return dir, cache, err
}

// asError extracts the *Error of a failed download.
func asError(t *testing.T, err error) *Error {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not a *Error", err, err)
	}
	return e
}

func assertMessage(t *testing.T, err error, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("error %q does not contain %q", err, p)
		}
	}
}

func TestFetchDownloadsVerifiesAndCaches(t *testing.T) {
	s := newServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) { serve(w, data) })
	dir, cache, err := fetchOnce(t, s, testDownloader(s, 3), strings.ToUpper(dataHash))
	if err != nil {
		t.Fatal(err)
	}
	assertContent(t, filepath.Join(dir, "f.tar"), data, 0o600)
	assertFiles(t, dir, "f.tar")
	assertFiles(t, cache, cacheRel(dataHash))
	p, err := CachePath(cache, "sha512", dataHash)
	if err != nil || p != filepath.Join(cache, cacheRel(dataHash)) {
		t.Errorf("CachePath = %q, %v", p, err)
	}
	if s.count() != 1 {
		t.Errorf("requests = %d, want 1", s.count())
	}
}

func TestFetchReplacesExistingFile(t *testing.T) {
	s := newServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) { serve(w, data) })
	dir := t.TempDir()
	dest := filepath.Join(dir, "f.tar")
	os.WriteFile(dest, []byte("old"), 0o644)
	if err := testDownloader(s, 1).Fetch(t.Context(), s.URL, dest, "SHA512", dataHash); err != nil {
		t.Fatal(err)
	}
	assertContent(t, dest, data, 0o600)
	assertFiles(t, dir, "f.tar")
}

func TestFetchRetriesServerError(t *testing.T) {
	for _, code := range []int{http.StatusInternalServerError, http.StatusTooManyRequests} {
		t.Run(http.StatusText(code), func(t *testing.T) {
			s := newServer(t, func(n int, w http.ResponseWriter, _ *http.Request) {
				if n == 1 {
					http.Error(w, "try again", code)
					return
				}
				serve(w, data)
			})
			logs := &logBuffer{}
			d := testDownloader(s, 3)
			d.Log = newLogger(logs)
			dir, cache, err := fetchOnce(t, s, d, dataHash)
			if err != nil {
				t.Fatal(err)
			}
			assertContent(t, filepath.Join(dir, "f.tar"), data, 0o600)
			assertFiles(t, cache, cacheRel(dataHash))
			if s.count() != 2 {
				t.Errorf("requests = %d, want 2", s.count())
			}
			if !strings.Contains(logs.String(), "retrying") {
				t.Errorf("no retry warning logged:\n%s", logs)
			}
		})
	}
}

func TestFetchGivesUpAfterAllAttempts(t *testing.T) {
	s := newServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "down", http.StatusServiceUnavailable)
	})
	dir, cache, err := fetchOnce(t, s, testDownloader(s, 4), dataHash)
	if err == nil {
		t.Fatal("Fetch succeeded against a failing server")
	}
	e := asError(t, err)
	var se *StatusError
	if e.Attempts != 4 || !errors.As(err, &se) || se.Code != 503 {
		t.Errorf("attempts = %d, cause %v; want 4 attempts, HTTP 503", e.Attempts, e.Err)
	}
	assertMessage(t, err, s.URL+"/f", filepath.Join(dir, "f.tar"), "failed after 4 attempts", "HTTP 503 Service Unavailable")
	if s.count() != 4 {
		t.Errorf("requests = %d, want 4", s.count())
	}
	assertFiles(t, dir)
	assertFiles(t, cache)
}

func TestFetchSingleAttempt(t *testing.T) {
	for _, retries := range []int{1, 0, -5} {
		s := newServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
			http.Error(w, "down", http.StatusBadGateway)
		})
		_, _, err := fetchOnce(t, s, testDownloader(s, retries), dataHash)
		if s.count() != 1 {
			t.Errorf("Retries=%d: requests = %d, want 1", retries, s.count())
		}
		assertMessage(t, err, "failed after 1 attempt: HTTP 502")
	}
}

func TestFetchDoesNotRetryClientErrors(t *testing.T) {
	for _, code := range []int{http.StatusNotFound, http.StatusForbidden} {
		s := newServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
			http.Error(w, "no", code)
		})
		dir, cache, err := fetchOnce(t, s, testDownloader(s, 3), dataHash)
		e := asError(t, err)
		if s.count() != 1 || e.Attempts != 1 || !e.Permanent {
			t.Errorf("HTTP %d: requests = %d, attempts = %d, permanent = %v; want 1, 1, true",
				code, s.count(), e.Attempts, e.Permanent)
		}
		assertMessage(t, err, "failed after 1 attempt of 3 (not retryable)", http.StatusText(code))
		assertFiles(t, dir)
		assertFiles(t, cache)
	}
}

func TestFetchStalledConnection(t *testing.T) {
	for name, part := range map[string]int{"before headers": -1, "mid-body": 1000} {
		t.Run(name, func(t *testing.T) {
			var s *server
			s = newServer(t, func(_ int, w http.ResponseWriter, r *http.Request) { s.stall(w, r, data, part) })
			d := testDownloader(s, 2)
			d.ReadTimeout = 100 * time.Millisecond
			start := time.Now()
			dir, cache, err := fetchOnce(t, s, d, dataHash)
			if !errors.Is(err, errStalled) {
				t.Fatalf("error = %v, want a stall", err)
			}
			if elapsed := time.Since(start); elapsed > 20*time.Second {
				t.Errorf("stalled fetch took %v", elapsed)
			}
			if e := asError(t, err); e.Attempts != 2 || s.count() != 2 {
				t.Errorf("attempts = %d, requests = %d; want 2, 2", e.Attempts, s.count())
			}
			assertMessage(t, err, "failed after 2 attempts", "connection stalled: no data received for 100ms")
			assertFiles(t, dir)
			assertFiles(t, cache)
		})
	}
}

func TestFetchRecoversFromStall(t *testing.T) {
	var s *server
	s = newServer(t, func(n int, w http.ResponseWriter, r *http.Request) {
		if n == 1 {
			s.stall(w, r, data, 10)
			return
		}
		serve(w, data)
	})
	d := testDownloader(s, 2)
	d.ReadTimeout = 100 * time.Millisecond
	dir, _, err := fetchOnce(t, s, d, dataHash)
	if err != nil {
		t.Fatal(err)
	}
	assertContent(t, filepath.Join(dir, "f.tar"), data, 0o600)
}

func TestFetchTruncatedBody(t *testing.T) {
	s := newServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) { truncate(t, w, data) })
	dir, cache, err := fetchOnce(t, s, testDownloader(s, 3), dataHash)
	if err == nil {
		t.Fatal("Fetch accepted a truncated body")
	}
	if e := asError(t, err); e.Attempts != 3 || s.count() != 3 {
		t.Errorf("attempts = %d, requests = %d; want 3, 3", e.Attempts, s.count())
	}
	assertMessage(t, err, "failed after 3 attempts", "truncated body", "of 200000 bytes")
	assertFiles(t, dir)
	assertFiles(t, cache)
}

func TestFetchRecoversFromTruncation(t *testing.T) {
	s := newServer(t, func(n int, w http.ResponseWriter, _ *http.Request) {
		if n < 3 {
			truncate(t, w, data)
			return
		}
		serve(w, data)
	})
	dir, _, err := fetchOnce(t, s, testDownloader(s, 3), dataHash)
	if err != nil {
		t.Fatal(err)
	}
	assertContent(t, filepath.Join(dir, "f.tar"), data, 0o600)
	assertFiles(t, dir, "f.tar")
}

func TestFetchHashMismatch(t *testing.T) {
	other := payload(1000, 9)
	s := newServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) { serve(w, other) })
	dir, cache, err := fetchOnce(t, s, testDownloader(s, 2), dataHash)
	var hm *HashMismatchError
	if !errors.As(err, &hm) {
		t.Fatalf("error = %v, want a hash mismatch", err)
	}
	if e := asError(t, err); e.Attempts != 2 {
		t.Errorf("attempts = %d, want 2 (mismatches are retried)", e.Attempts)
	}
	assertMessage(t, err, "failed after 2 attempts", "expected SHA512 "+dataHash+", got "+sha512Hex(other))
	assertFiles(t, dir)
	assertFiles(t, cache)
}

func TestFetchFailureKeepsExistingFile(t *testing.T) {
	s := newServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) { truncate(t, w, data) })
	dir := t.TempDir()
	dest := filepath.Join(dir, "f.tar")
	os.WriteFile(dest, []byte("old"), 0o644)
	if err := testDownloader(s, 2).Fetch(t.Context(), s.URL, dest, "SHA512", dataHash); err == nil {
		t.Fatal("Fetch succeeded")
	}
	assertContent(t, dest, []byte("old"), 0o644)
	assertFiles(t, dir, "f.tar")
}

func TestFetchCancelledDuringRequest(t *testing.T) {
	var s *server
	arrived := make(chan struct{}, 1)
	s = newServer(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		arrived <- struct{}{}
		s.stall(w, r, data, 5000)
	})
	ctx, cancel := context.WithCancel(t.Context())
	go func() { <-arrived; cancel() }()
	d := testDownloader(s, 3)
	d.ReadTimeout = time.Hour
	d.InitialDelay = time.Hour
	dir, cache := t.TempDir(), t.TempDir()
	d.CacheDir = cache
	start := time.Now()
	err := within(t, func() error { return d.Fetch(ctx, s.URL, filepath.Join(dir, "f.tar"), "SHA512", dataHash) })
	assertCancelled(t, err, start, 1)
	assertFiles(t, dir)
	assertFiles(t, cache)
}

// hookHandler is a slog handler that passes every message to a function.
type hookHandler func(msg string)

func (h hookHandler) Enabled(context.Context, slog.Level) bool      { return true }
func (h hookHandler) Handle(_ context.Context, r slog.Record) error { h(r.Message); return nil }
func (h hookHandler) WithAttrs([]slog.Attr) slog.Handler            { return h }
func (h hookHandler) WithGroup(string) slog.Handler                 { return h }

func TestFetchCancelledDuringBackoff(t *testing.T) {
	s := newServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "down", http.StatusServiceUnavailable)
	})
	ctx, cancel := context.WithCancel(t.Context())
	d := testDownloader(s, 3)
	d.InitialDelay, d.MaxDelay = time.Hour, time.Hour
	// The retry warning is logged right before the backoff wait starts.
	d.Log = slog.New(hookHandler(func(msg string) {
		if strings.Contains(msg, "retrying") {
			cancel()
		}
	}))
	dir := t.TempDir()
	start := time.Now()
	err := within(t, func() error { return d.Fetch(ctx, s.URL, filepath.Join(dir, "f.tar"), "SHA512", dataHash) })
	assertCancelled(t, err, start, 1)
	if s.count() != 1 {
		t.Errorf("requests = %d, want 1", s.count())
	}
	assertFiles(t, dir)
}

func TestFetchAlreadyCancelled(t *testing.T) {
	s := newServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) { serve(w, data) })
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	err := testDownloader(s, 3).Fetch(ctx, s.URL, filepath.Join(t.TempDir(), "f"), "SHA512", dataHash)
	assertCancelled(t, err, time.Now(), 0)
	if s.count() != 0 {
		t.Errorf("requests = %d, want 0", s.count())
	}
}

// within runs f and fails the test if it has not returned after a generous
// bound, so that a broken cancellation cannot hang the test run.
func within(t *testing.T, f func() error) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- f() }()
	select {
	case err := <-done:
		return err
	case <-time.After(20 * time.Second):
		t.Fatal("still running 20s after cancellation")
		return nil
	}
}

func assertCancelled(t *testing.T, err error, start time.Time, attempts int) {
	t.Helper()
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error = %v, want context.Canceled", err)
	}
	if elapsed := time.Since(start); elapsed > 20*time.Second {
		t.Errorf("cancelled fetch returned after %v", elapsed)
	}
	if e := asError(t, err); e.Attempts != attempts {
		t.Errorf("attempts = %d, want %d", e.Attempts, attempts)
	}
	assertMessage(t, err, "interrupted after")
}

func TestFetchFromCacheOffline(t *testing.T) {
	s := newServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) { serve(w, data) })
	d := testDownloader(s, 3)
	d.CacheDir = t.TempDir()
	first := filepath.Join(t.TempDir(), "a.tar")
	if err := d.Fetch(t.Context(), s.URL, first, "SHA512", dataHash); err != nil {
		t.Fatal(err)
	}
	s.Close() // from now on every request fails

	dir := t.TempDir()
	second := filepath.Join(dir, "b.tar")
	if err := d.Fetch(t.Context(), s.URL, second, "sha512", strings.ToUpper(dataHash)); err != nil {
		t.Fatalf("cache hit needed the network: %v", err)
	}
	assertContent(t, second, data, 0o600)
	assertFiles(t, dir, "b.tar")
	if s.count() != 1 {
		t.Errorf("requests = %d, want 1", s.count())
	}

	// Without the cache the same fetch must fail, proving the server is gone.
	d.CacheDir = ""
	if err := d.Fetch(t.Context(), s.URL, filepath.Join(dir, "c.tar"), "SHA512", dataHash); err == nil {
		t.Error("fetch without cache succeeded against a stopped server")
	}
	assertFiles(t, dir, "b.tar")
}

func TestFetchReplacesCorruptCacheObject(t *testing.T) {
	s := newServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) { serve(w, data) })
	d := testDownloader(s, 1)
	d.CacheDir = t.TempDir()
	obj := filepath.Join(d.CacheDir, cacheRel(dataHash))
	os.MkdirAll(filepath.Dir(obj), 0o755)
	os.WriteFile(obj, []byte("bit rot"), 0o644)
	logs := &logBuffer{}
	d.Log = newLogger(logs)
	dir := t.TempDir()
	if err := d.Fetch(t.Context(), s.URL, filepath.Join(dir, "f.tar"), "SHA512", dataHash); err != nil {
		t.Fatal(err)
	}
	assertContent(t, filepath.Join(dir, "f.tar"), data, 0o600)
	assertContent(t, obj, data, 0o600)
	assertFiles(t, dir, "f.tar")
	assertFiles(t, d.CacheDir, cacheRel(dataHash))
	if s.count() != 1 || !strings.Contains(logs.String(), "corrupt") {
		t.Errorf("requests = %d, logs:\n%s", s.count(), logs)
	}
}

func TestFetchDryRun(t *testing.T) {
	s := newServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) { serve(w, data) })
	logs := &logBuffer{}
	d := testDownloader(s, 3)
	d.DryRun, d.Log = true, newLogger(logs)
	dir, cache, err := fetchOnce(t, s, d, dataHash)
	if err != nil {
		t.Fatal(err)
	}
	if s.count() != 0 {
		t.Errorf("dry run made %d requests", s.count())
	}
	assertFiles(t, dir)
	assertFiles(t, cache)
	if !strings.Contains(logs.String(), "would download") || !strings.Contains(logs.String(), s.URL+"/f") {
		t.Errorf("dry run log lacks the URL:\n%s", logs)
	}
}

func TestFetchURLWithoutHash(t *testing.T) {
	s := newServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) { serve(w, data) })
	d := testDownloader(s, 1)
	d.CacheDir = t.TempDir()
	dir := t.TempDir()
	if err := d.FetchURL(t.Context(), s.URL, filepath.Join(dir, "f.tar"), "", ""); err != nil {
		t.Fatal(err)
	}
	assertContent(t, filepath.Join(dir, "f.tar"), data, 0o600)
	assertFiles(t, d.CacheDir) // nothing to address it by
}

func TestFetchURLWithoutHashStillAtomic(t *testing.T) {
	s := newServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) { truncate(t, w, data) })
	dir := t.TempDir()
	if err := testDownloader(s, 2).FetchURL(t.Context(), s.URL, filepath.Join(dir, "f.tar"), "", ""); err == nil {
		t.Fatal("truncated download accepted")
	}
	assertFiles(t, dir)
}

func TestFetchRejectsBadHashesBeforeNetwork(t *testing.T) {
	s := newServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) { serve(w, data) })
	tests := []struct{ typ, hash, msg string }{
		{"SHA512", "", "no hash given"},
		{"SHA512", "xyz", `invalid SHA512 hash "xyz"`},
		{"SHA512", sha256Hex(data), "want 128 hex digits"},
		{"SHA384", dataHash, `unsupported hash type "SHA384"`},
		{"", dataHash, "unsupported hash type"},
	}
	for _, tc := range tests {
		err := testDownloader(s, 3).Fetch(t.Context(), s.URL, filepath.Join(t.TempDir(), "f"), tc.typ, tc.hash)
		if err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("Fetch(%q, %q) = %v, want %q", tc.typ, tc.hash, err, tc.msg)
		}
	}
	if s.count() != 0 {
		t.Errorf("requests = %d, want 0", s.count())
	}
}

func TestFetchOtherHashTypes(t *testing.T) {
	s := newServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) { serve(w, data) })
	for typ, hash := range map[string]string{"SHA256": sha256Hex(data), "md5": md5Hex(data)} {
		dir := t.TempDir()
		if err := testDownloader(s, 1).Fetch(t.Context(), s.URL, filepath.Join(dir, "f"), typ, hash); err != nil {
			t.Errorf("%s: %v", typ, err)
		}
		if err := testDownloader(s, 1).Fetch(t.Context(), s.URL, filepath.Join(dir, "g"), typ, strings.Repeat("0", len(hash))); err == nil {
			t.Errorf("%s: wrong hash accepted", typ)
		}
		assertFiles(t, dir, "f")
	}
}

func TestBackoff(t *testing.T) {
	d := &Downloader{}
	var got []time.Duration
	for n := 1; n <= 6; n++ {
		got = append(got, d.backoff(n))
	}
	want := []time.Duration{2, 4, 8, 16, 30, 30}
	for i := range want {
		if got[i] != want[i]*time.Second {
			t.Fatalf("default backoff = %v, want 2s 4s 8s 16s 30s 30s", got)
		}
	}
	d = &Downloader{InitialDelay: 3 * time.Millisecond, MaxDelay: 10 * time.Millisecond}
	if b := d.backoff(3); b != 10*time.Millisecond {
		t.Errorf("capped backoff = %v, want 10ms", b)
	}
}

func TestFetchWaitsBetweenAttempts(t *testing.T) {
	s := newServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "down", http.StatusInternalServerError)
	})
	d := testDownloader(s, 3)
	d.InitialDelay, d.MaxDelay = 40*time.Millisecond, time.Second
	start := time.Now()
	fetchOnce(t, s, d, dataHash)
	// Timers never fire early: 40ms + 80ms is a hard lower bound.
	if elapsed := time.Since(start); elapsed < 120*time.Millisecond {
		t.Errorf("3 attempts took %v, want at least 120ms of backoff", elapsed)
	}
}

func TestFetchFileURL(t *testing.T) {
	src := filepath.Join(t.TempDir(), "mirror dir", "f.tar")
	os.MkdirAll(filepath.Dir(src), 0o755)
	os.WriteFile(src, data, 0o644)
	u, err := URL("file://"+filepath.Dir(filepath.Dir(src))+"/$pkg/$filename", "mirror dir", "f.tar", "SHA512", dataHash)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	d := &Downloader{Retries: 3, InitialDelay: time.Millisecond}
	if err := d.Fetch(t.Context(), u, filepath.Join(dir, "f.tar"), "SHA512", dataHash); err != nil {
		t.Fatal(err)
	}
	assertContent(t, filepath.Join(dir, "f.tar"), data, 0o600)

	err = d.Fetch(t.Context(), u+".missing", filepath.Join(dir, "g.tar"), "SHA512", dataHash)
	assertMessage(t, err, "failed after 1 attempt of 3 (not retryable): HTTP 404")
	assertFiles(t, dir, "f.tar")
}

func TestFetchRejectsUnsupportedScheme(t *testing.T) {
	err := (&Downloader{}).Fetch(t.Context(), "ftp://127.0.0.1/x", filepath.Join(t.TempDir(), "x"), "SHA512", dataHash)
	assertMessage(t, err, `unsupported URL scheme "ftp"`)
}

func TestFetchLocalErrorsAreNotRetried(t *testing.T) {
	s := newServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) { serve(w, data) })
	dest := filepath.Join(t.TempDir(), "missing-dir", "f.tar")
	err := testDownloader(s, 3).Fetch(t.Context(), s.URL, dest, "SHA512", dataHash)
	if e := asError(t, err); e.Attempts != 1 || !e.Permanent {
		t.Errorf("attempts = %d, permanent = %v; want 1, true", e.Attempts, e.Permanent)
	}
	assertMessage(t, err, "not retryable", "writing "+dest)
}
