package cancellation

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
)

// errAborted is what a fakeTransfer's Wait returns after Abort.
var errAborted = errors.New("transfer aborted")

// A fakeTransfer is an upload that takes length, unless it is aborted:
// then Wait returns errAborted hangUp after the first Abort.
type fakeTransfer struct {
	begin  time.Time
	length time.Duration
	hangUp time.Duration
	err    error         // what Wait returns when the upload completes
	abort  chan struct{} // closed by the first Abort

	mu       sync.Mutex      // protects the fields below
	aborts   []time.Duration // when Abort was called, since the test began
	returned time.Duration   // when Wait returned; -1 while it runs
}

func newFakeTransfer(length time.Duration, err error) *fakeTransfer {
	return &fakeTransfer{begin: time.Now(), length: length, hangUp: ms(5), err: err,
		abort: make(chan struct{}), returned: -1}
}

func (f *fakeTransfer) Wait() error {
	timer := time.NewTimer(f.length)
	defer timer.Stop()
	err := f.err
	select {
	case <-timer.C:
	case <-f.abort:
		time.Sleep(f.hangUp)
		err = errAborted
	}
	f.mu.Lock()
	f.returned = time.Since(f.begin)
	f.mu.Unlock()
	return err
}

func (f *fakeTransfer) Abort() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.aborts = append(f.aborts, time.Since(f.begin))
	if len(f.aborts) == 1 {
		close(f.abort)
	}
}

func (f *fakeTransfer) state() (aborts []time.Duration, returned time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Duration(nil), f.aborts...), f.returned
}

// Task 2: a transfer that ends by itself gives its own result.
func TestAwait_ReturnsWhatWaitReturned(t *testing.T) {
	errDiskFull := errors.New("storage: disk full")
	for _, want := range []error{nil, errDiskFull} {
		katatest.Bubble(t, 3, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			tr := newFakeTransfer(ms(40), want)
			var err error
			took := katatest.Elapsed(func() { err = Await(ctx, tr) })
			if err != want || took != ms(40) {
				t.Error(katatest.Failure{
					Want:  fmt.Sprintf("Await returns %s at 40ms, when the transfer completes", errText(want)),
					Got:   fmt.Sprintf("%s after %v", errText(err), took),
					Means: "while ctx is live, Await is just t.Wait(): it returns what Wait returned, when it returned",
					Hint:  3,
				})
			}
		})
	}
}

// Task 2: cancelling ctx aborts the transfer at that instant, and Await
// returns the cause once the transfer has stopped.
func TestAwait_AbortsWhenCancelled(t *testing.T) {
	errShutdown := errors.New("server shutting down")
	katatest.Bubble(t, 3, func(t *testing.T) {
		r := &report{t: t}
		begin := time.Now()
		ctx, cancel := context.WithCancelCause(context.Background())
		defer cancel(nil)
		time.AfterFunc(ms(30), func() { cancel(errShutdown) })
		tr := newFakeTransfer(time.Second, nil)
		out := start(begin, func() error { return Await(ctx, tr) })

		katatest.Advance(ms(30) - time.Nanosecond)
		if aborts, _ := tr.state(); len(aborts) > 0 {
			r.fail(katatest.Failure{
				Want:  "no Abort before ctx is cancelled at 30ms",
				Got:   fmt.Sprintf("Abort at %v", aborts[0]),
				Means: "Await aborted a transfer whose context was still live",
				Hint:  3,
			})
		}
		katatest.Advance(time.Nanosecond)
		if aborts, _ := tr.state(); len(aborts) == 0 || aborts[0] != ms(30) {
			got := "no Abort by 30ms"
			if len(aborts) > 0 {
				got = fmt.Sprintf("the first Abort at %v", aborts[0])
			}
			r.fail(katatest.Failure{
				Want: "the transfer is aborted at 30ms, the instant ctx is cancelled",
				Got:  got,
				Means: "Await ignored the context: the transfer runs on for a caller that has given up. The transfer " +
					"takes no ctx, so register its Abort with context.AfterFunc(ctx, t.Abort)",
				Hint: 3,
			})
		}

		katatest.Advance(ms(5) - time.Nanosecond) // the transfer hangs up at 35ms
		if o, ok := returned(out); ok {
			r.fail(katatest.Failure{
				Want:  "Await returns at 35ms, once Wait has returned (the transfer takes 5ms to hang up)",
				Got:   fmt.Sprintf("it returned %s at %v", errText(o.err), o.at),
				Means: "Await returned while the transfer was still running: the caller may reuse the connection too early",
				Hint:  3,
			})
			return
		}
		o, ok := await(out)
		if !ok {
			r.fail(katatest.Failure{
				Want:  "Await returns at 35ms",
				Got:   "it had not returned an hour later",
				Means: "Await waits for something that never comes",
				Hint:  3,
			})
			r.noLeftovers("a goroutine Await started is stuck sending", "a goroutine Await started is blocked forever", 3)
			return
		}
		switch {
		case o.at != ms(35):
			r.fail(katatest.Failure{
				Want:  "Await returns at 35ms: aborted at 30ms, plus 5ms for the transfer to hang up",
				Got:   fmt.Sprintf("%s at %v", errText(o.err), o.at),
				Means: "Await did not stop the transfer when ctx was cancelled",
				Hint:  3,
			})
		case !errors.Is(o.err, errShutdown):
			r.fail(katatest.Failure{
				Want: fmt.Sprintf("Await returns the cause the caller gave: %s", errText(errShutdown)),
				Got:  errText(o.err),
				Means: "Await returned Wait's error or ctx.Err() instead of the cause: \"transfer aborted\" or " +
					"\"context canceled\" do not say why. Return context.Cause(ctx)",
				Hint: 2,
			})
		}
	})
}

// Task 2: once Await has returned, nothing it set up aborts the transfer.
func TestAwait_NothingLeftBehind(t *testing.T) {
	errShutdown := errors.New("server shutting down")
	katatest.Bubble(t, 3, func(t *testing.T) {
		ctx, cancel := context.WithCancelCause(context.Background())
		defer cancel(nil)
		tr := newFakeTransfer(ms(40), nil)
		err := Await(ctx, tr)
		if err != nil {
			t.Errorf("Await of a transfer that completes at 40ms returned %s, want nil", errText(err))
		}

		synctest.Wait()
		if left := katatest.BubbleGoroutines(); left != "" {
			t.Error(katatest.Failure{
				Want: "no goroutine that Await started is still running after Await returned",
				Got:  "still running:\n" + katatest.TrimStacks(left, lessonDir),
				Means: "Await left a goroutine behind, waiting for ctx.Done(). Under a context that is never " +
					"cancelled it waits forever: one leaked goroutine per transfer",
				Hint: 3,
			})
		}

		katatest.Advance(ms(10))
		cancel(errShutdown) // the request ends at 50ms, after the transfer
		synctest.Wait()
		if aborts, _ := tr.state(); len(aborts) > 0 {
			t.Error(katatest.Failure{
				Want: "no Abort after Await returned at 40ms, when ctx is cancelled at 50ms",
				Got:  fmt.Sprintf("Abort at %v", aborts[0]),
				Means: "the transfer was aborted after Await returned: what Await registered on ctx outlived " +
					"the call, and now breaks the next upload on the same connection. Call the stop function " +
					"that context.AfterFunc returns before Await returns",
				Hint: 3,
			})
		}
	})
}
