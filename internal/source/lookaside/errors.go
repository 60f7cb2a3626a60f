package lookaside

import (
	"context"
	"errors"
	"fmt"
	"net/http"
)

// Error is returned by the Downloader when a download does not succeed. It
// names the URL, the destination and the number of attempts made; Err is the
// cause of the last attempt (a *StatusError, a *HashMismatchError, a network
// error, or the context's error after cancellation).
type Error struct {
	URL         string
	Dest        string
	Attempts    int  // attempts made
	MaxAttempts int  // attempts allowed
	Permanent   bool // the last failure was not worth retrying
	Err         error
}

func (e *Error) Error() string {
	how := "failed after " + plural(e.Attempts, "attempt")
	switch {
	case e.Permanent && e.Attempts < e.MaxAttempts:
		how += fmt.Sprintf(" of %d (not retryable)", e.MaxAttempts)
	case isContextErr(e.Err):
		how = "interrupted after " + plural(e.Attempts, "attempt")
	}
	return fmt.Sprintf("downloading %s to %s: %s: %v", e.URL, e.Dest, how, e.Err)
}

// Unwrap returns the last cause.
func (e *Error) Unwrap() error { return e.Err }

// StatusError reports an HTTP response other than 200 OK.
type StatusError struct {
	Code   int
	Status string // e.g. "404 Not Found"
}

func (e *StatusError) Error() string { return "HTTP " + e.Status }

// retryable reports whether the status may go away on its own.
func (e *StatusError) retryable() bool {
	return e.Code >= 500 || e.Code == http.StatusTooManyRequests
}

// HashMismatchError reports downloaded (or cached) content whose digest
// differs from the expected one.
type HashMismatchError struct {
	Type     string // upper case, e.g. SHA512
	Expected string // lower-case hex
	Got      string // lower-case hex
}

func (e *HashMismatchError) Error() string {
	return fmt.Sprintf("hash mismatch: expected %s %s, got %s", e.Type, e.Expected, e.Got)
}

// permanentError marks a failure that retrying cannot fix.
type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

func permanent(err error) error { return &permanentError{err: err} }

// isPermanent reports whether err must not be retried.
func isPermanent(err error) bool {
	var p *permanentError
	if errors.As(err, &p) {
		return true
	}
	var s *StatusError
	return errors.As(err, &s) && !s.retryable()
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

func isContextErr(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}
