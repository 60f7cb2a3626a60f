// Package parallel runs work on many items with bounded concurrency.
package parallel

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
)

// Mode says what Map does when an item fails.
type Mode int

const (
	// FailFast stops at the first failure in input order: when item i
	// fails, later items are cancelled or never started while earlier ones
	// run to the end, so the reported error (the lowest failing index) does
	// not depend on timing.
	FailFast Mode = iota
	// CollectAll runs every item and reports all failures.
	CollectAll
)

// Options configures Map.
type Options struct {
	// Limit bounds concurrent calls; zero or less means runtime.GOMAXPROCS(0).
	Limit int
	Mode  Mode
	// Name names item i in errors; nil means "item <i>".
	Name func(i int) string
	// Progress, when set, is called after each finished item (failed ones
	// included) with the number finished so far; calls are serialized.
	Progress func(done, total int)
}

// ItemError is the failure of one item.
type ItemError struct {
	Index int
	Name  string
	Err   error
}

func (e *ItemError) Error() string { return e.Name + ": " + e.Err.Error() }

func (e *ItemError) Unwrap() error { return e.Err }

// Map calls fn for every item, at most opts.Limit at a time, and returns the
// results in input order. With FailFast the error is the *ItemError of the
// lowest failing item; with CollectAll it joins the *ItemError of every
// failing item in input order, and every result is kept. When ctx ends, no
// further item starts, running calls see their context cancelled, and Map
// returns ctx's cause once they have returned (unless every item had
// already succeeded). Map never leaves goroutines behind.
func Map[T, R any](ctx context.Context, items []T, opts Options, fn func(ctx context.Context, i int, item T) (R, error)) ([]R, error) {
	results := make([]R, len(items))
	if len(items) == 0 {
		return results, nil
	}
	s := newState(ctx, len(items), opts)
	var wg sync.WaitGroup
	for range min(opts.limit(), len(items)) {
		wg.Go(func() {
			for {
				i, ictx, ok := s.next()
				if !ok {
					return
				}
				r, err := fn(ictx, i, items[i])
				results[i] = r
				s.finish(i, err)
			}
		})
	}
	wg.Wait()
	return results, s.err()
}

func (o Options) limit() int {
	if o.Limit > 0 {
		return o.Limit
	}
	return runtime.GOMAXPROCS(0)
}

// state hands out items and gathers their outcomes.
type state struct {
	mu       sync.Mutex
	parent   context.Context
	opts     Options
	nextItem int                  // next item to start
	cancels  []context.CancelFunc // of running items (FailFast)
	errs     []error
	failed   int // lowest failed index; len(errs) when none
	finished int
}

func newState(ctx context.Context, n int, opts Options) *state {
	s := &state{parent: ctx, opts: opts, errs: make([]error, n), failed: n}
	if opts.Mode == FailFast {
		s.cancels = make([]context.CancelFunc, n)
	}
	return s
}

// next returns the next item to run and its context, or false when no more
// items may start.
func (s *state) next() (int, context.Context, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := s.nextItem
	if i >= len(s.errs) || (s.cancels != nil && i > s.failed) || s.parent.Err() != nil {
		return 0, nil, false
	}
	s.nextItem++
	if s.cancels == nil {
		return i, s.parent, true
	}
	ctx, cancel := context.WithCancel(s.parent)
	s.cancels[i] = cancel
	return i, ctx, true
}

// finish records item i's outcome; in FailFast mode a failure cancels the
// later running items.
func (s *state) finish(i int, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cancels != nil {
		s.cancels[i]()
		s.cancels[i] = nil
	}
	s.errs[i] = err
	if err != nil && i < s.failed {
		s.failed = i
		s.cancelAfter(i)
	}
	s.finished++
	if s.opts.Progress != nil {
		s.opts.Progress(s.finished, len(s.errs))
	}
}

// cancelAfter cancels the running items after i (none in CollectAll mode).
func (s *state) cancelAfter(i int) {
	for _, cancel := range s.cancels[min(i+1, len(s.cancels)):] {
		if cancel != nil {
			cancel()
		}
	}
}

// err is Map's error once every worker has returned.
func (s *state) err() error {
	n := len(s.errs)
	if s.parent.Err() != nil && (s.nextItem < n || s.failed < n) {
		return context.Cause(s.parent)
	}
	if s.failed == n {
		return nil
	}
	if s.opts.Mode == FailFast {
		return s.itemError(s.failed)
	}
	var errs []error
	for i, err := range s.errs {
		if err != nil {
			errs = append(errs, s.itemError(i))
		}
	}
	return errors.Join(errs...)
}

func (s *state) itemError(i int) *ItemError {
	name := fmt.Sprintf("item %d", i)
	if s.opts.Name != nil {
		name = s.opts.Name(i)
	}
	return &ItemError{Index: i, Name: name, Err: s.errs[i]}
}
