package parallel

import "context"

// Limiter bounds how many holders may proceed at once, across any number of
// goroutines and Map calls (e.g. one connection limit for a whole
// downloader). It is safe for concurrent use.
type Limiter struct{ slots chan struct{} }

// NewLimiter returns a Limiter admitting n holders at a time (at least 1).
func NewLimiter(n int) *Limiter {
	return &Limiter{slots: make(chan struct{}, max(n, 1))}
}

// Acquire waits for a free slot or for ctx to end (then it returns ctx's
// cause and holds nothing).
func (l *Limiter) Acquire(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return context.Cause(ctx)
	}
	select {
	case l.slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}

// Release frees a slot taken by Acquire.
func (l *Limiter) Release() { <-l.slots }
