package parallel

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"
	"time"
)

// checkNoLeak fails when goroutines started during the test outlive it.
func checkNoLeak(t *testing.T) {
	t.Helper()
	before := runtime.NumGoroutine()
	t.Cleanup(func() {
		deadline := time.Now().Add(time.Second)
		for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
		if n := runtime.NumGoroutine(); n > before {
			t.Errorf("%d goroutine(s) leaked", n-before)
		}
	})
}

func square(_ context.Context, _ int, x int) (int, error) { return x * x, nil }

func TestMapOrderAndLimit(t *testing.T) {
	checkNoLeak(t)
	items := make([]int, 200)
	for i := range items {
		items[i] = i
	}
	var running, peak atomic.Int32
	var progress []int
	got, err := Map(context.Background(), items, Options{Limit: 3, Progress: func(done, total int) {
		if total != len(items) {
			t.Errorf("total %d", total)
		}
		progress = append(progress, done) // serialized by Map
	}}, func(ctx context.Context, i int, x int) (string, error) {
		n := running.Add(1)
		defer running.Add(-1)
		for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
		}
		time.Sleep(time.Duration(x%3) * time.Millisecond)
		return fmt.Sprint(i, x), nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range got {
		if s != fmt.Sprint(i, i) {
			t.Fatalf("result %d = %q", i, s)
		}
	}
	if p := peak.Load(); p > 3 || p < 2 {
		t.Errorf("peak concurrency %d, want 2..3", p)
	}
	if len(progress) != len(items) || progress[0] != 1 || progress[len(progress)-1] != len(items) {
		t.Errorf("progress calls %d: %v...", len(progress), progress[:min(5, len(progress))])
	}
}

func TestMapEmptyAndDefaultLimit(t *testing.T) {
	got, err := Map(context.Background(), nil, Options{}, square)
	if err != nil || len(got) != 0 {
		t.Errorf("got %v, %v", got, err)
	}
	got, err = Map(context.Background(), []int{1, 2, 3}, Options{}, square)
	if err != nil || fmt.Sprint(got) != "[1 4 9]" {
		t.Errorf("got %v, %v", got, err)
	}
}

func TestFailFastReportsLowestFailingItem(t *testing.T) {
	checkNoLeak(t)
	items := []string{"a", "b", "c", "d", "e", "f", "g", "h"}
	var cancelledLater atomic.Bool
	dStarted := make(chan struct{})
	_, err := Map(context.Background(), items, Options{Limit: 4, Name: func(i int) string { return items[i] }},
		func(ctx context.Context, i int, s string) (int, error) {
			switch s {
			case "b": // fails late: still the reported error
				time.Sleep(50 * time.Millisecond)
				return 0, errors.New("b broke")
			case "c": // fails first
				<-dStarted
				return 0, errors.New("c broke")
			case "d": // running when c fails: cancelled
				close(dStarted)
				select {
				case <-ctx.Done():
					cancelledLater.Store(true)
					return 0, ctx.Err()
				case <-time.After(5 * time.Second):
					return 0, nil
				}
			}
			return 1, nil
		})
	var ie *ItemError
	if !errors.As(err, &ie) || ie.Index != 1 || err.Error() != "b: b broke" {
		t.Fatalf("got %v", err)
	}
	if !cancelledLater.Load() {
		t.Error("the item after the failure was not cancelled")
	}
}

func TestFailFastStartsNothingAfterFailure(t *testing.T) {
	var started atomic.Int32
	_, err := Map(context.Background(), make([]int, 10), Options{Limit: 1}, func(context.Context, int, int) (int, error) {
		started.Add(1)
		return 0, errors.New("broken")
	})
	if err == nil || err.Error() != "item 0: broken" || started.Load() != 1 {
		t.Errorf("got %v after %d item(s)", err, started.Load())
	}
}

func TestCollectAll(t *testing.T) {
	checkNoLeak(t)
	items := []int{0, 1, 2, 3, 4, 5}
	got, err := Map(context.Background(), items, Options{Limit: 2, Mode: CollectAll},
		func(ctx context.Context, i int, x int) (int, error) {
			if x%2 == 1 {
				return -x, fmt.Errorf("odd %d", x)
			}
			return x * 10, nil
		})
	if fmt.Sprint(got) != "[0 -1 20 -3 40 -5]" {
		t.Errorf("results %v", got)
	}
	if err == nil || err.Error() != "item 1: odd 1\nitem 3: odd 3\nitem 5: odd 5" {
		t.Errorf("got %q", err)
	}
	var ie *ItemError
	if !errors.As(err, &ie) || ie.Index != 1 {
		t.Errorf("first item error %+v", ie)
	}
}

func TestCancelStopsPromptly(t *testing.T) {
	checkNoLeak(t)
	for _, mode := range []Mode{FailFast, CollectAll} {
		ctx, cancel := context.WithCancel(context.Background())
		items := make([]int, 1000)
		var started atomic.Int32
		done := make(chan error, 1)
		go func() {
			_, err := Map(ctx, items, Options{Limit: 4, Mode: mode}, func(ctx context.Context, i int, _ int) (int, error) {
				if started.Add(1) == 4 {
					cancel()
				}
				<-ctx.Done()
				return 0, ctx.Err()
			})
			done <- err
		}()
		select {
		case err := <-done:
			if !errors.Is(err, context.Canceled) {
				t.Errorf("mode %d: got %v", mode, err)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("mode %d: Map did not return after cancellation", mode)
		}
		if n := started.Load(); n > 8 {
			t.Errorf("mode %d: %d items started after cancellation", mode, n)
		}
	}
}

func TestCancelCause(t *testing.T) {
	ctx, cancel := context.WithCancelCause(context.Background())
	cause := errors.New("interrupted")
	cancel(cause)
	_, err := Map(ctx, []int{1}, Options{}, square)
	if !errors.Is(err, cause) {
		t.Errorf("got %v", err)
	}
}

func TestCompletedBeforeCancelSucceeds(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	got, err := Map(ctx, []int{1, 2}, Options{Limit: 1}, func(ctx context.Context, i int, x int) (int, error) {
		if i == 1 {
			cancel() // the last item completes anyway
		}
		return x, nil
	})
	if err != nil || fmt.Sprint(got) != "[1 2]" {
		t.Errorf("got %v, %v", got, err)
	}
}

func TestLimiter(t *testing.T) {
	checkNoLeak(t)
	l := NewLimiter(2)
	var running, peak atomic.Int32
	_, err := Map(context.Background(), make([]int, 50), Options{Limit: 10}, func(ctx context.Context, _ int, _ int) (int, error) {
		if err := l.Acquire(ctx); err != nil {
			return 0, err
		}
		defer l.Release()
		n := running.Add(1)
		defer running.Add(-1)
		for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
		}
		time.Sleep(time.Millisecond)
		return 0, nil
	})
	if err != nil || peak.Load() != 2 {
		t.Errorf("peak %d, err %v", peak.Load(), err)
	}
	if err := l.Acquire(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := l.Acquire(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := l.Acquire(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("full limiter: got %v", err)
	}
}
