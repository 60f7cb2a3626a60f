package lookaside

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync/atomic"
	"time"
)

// errStalled reports an attempt that received no data for ReadTimeout.
var errStalled = errors.New("connection stalled")

// attempt makes one GET request and streams the body into dest.
func (d *Downloader) attempt(ctx context.Context, url, dest string, want *digest) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	dog := newWatchdog(d.readTimeout(), cancel)
	defer dog.stop()

	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return permanent(err)
	}
	resp, err := d.client(req.URL.Scheme).Do(req)
	if err != nil {
		return dog.explain(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return &StatusError{Code: resp.StatusCode, Status: resp.Status}
	}
	body := &idleReader{r: resp.Body, dog: dog}
	err = writeAtomic(dest, body, want, func(n int64) error {
		return checkLength(n, resp.ContentLength)
	})
	return classifyBodyError(err, body, resp.ContentLength)
}

// classifyBodyError adds context to a failure while reading the body;
// local, length and hash errors pass through unchanged.
func classifyBodyError(err error, body *idleReader, length int64) error {
	var hm *HashMismatchError
	var le *lengthError
	switch {
	case err == nil || isPermanent(err) || errors.As(err, &hm) || errors.As(err, &le):
		return err
	case body.dog.fired.Load():
		return body.dog.explain(err)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("truncated body: got %s: %w", progress(body.n, length), err)
	}
	return fmt.Errorf("reading body after %s: %w", progress(body.n, length), err)
}

// lengthError reports a body shorter or longer than its Content-Length.
type lengthError struct{ got, want int64 }

func (e *lengthError) Error() string {
	return fmt.Sprintf("truncated body: got %d bytes, Content-Length is %d", e.got, e.want)
}

func checkLength(got, want int64) error {
	if want >= 0 && got != want {
		return &lengthError{got: got, want: want}
	}
	return nil
}

func progress(n, length int64) string {
	if length < 0 {
		return fmt.Sprintf("%d bytes", n)
	}
	return fmt.Sprintf("%d of %d bytes", n, length)
}

// watchdog cancels an attempt when no progress is reported for timeout.
type watchdog struct {
	timeout time.Duration
	timer   *time.Timer
	fired   atomic.Bool
}

func newWatchdog(timeout time.Duration, cancel context.CancelFunc) *watchdog {
	w := &watchdog{timeout: timeout}
	w.timer = time.AfterFunc(timeout, func() {
		w.fired.Store(true)
		cancel()
	})
	return w
}

// kick restarts the countdown after progress.
func (w *watchdog) kick() { w.timer.Reset(w.timeout) }

func (w *watchdog) stop() { w.timer.Stop() }

// explain replaces the cancellation caused by the watchdog with errStalled.
func (w *watchdog) explain(err error) error {
	if w.fired.Load() {
		return fmt.Errorf("%w: no data received for %s", errStalled, w.timeout)
	}
	return err
}

// idleReader counts bytes and kicks the watchdog on every successful read.
type idleReader struct {
	r   io.Reader
	dog *watchdog
	n   int64
}

func (r *idleReader) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	if n > 0 {
		r.n += int64(n)
		r.dog.kick()
	}
	return n, err
}
