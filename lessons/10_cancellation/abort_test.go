package cancellation

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
	"github.com/gokatas/concurrency/tools/evidence"
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

	// onReturn, if set, is called as the last thing Wait does, just before
	// it returns.
	onReturn func()

	mu         sync.Mutex      // protects the fields below
	aborts     []time.Duration // when Abort was called, since the test began
	returned   time.Duration   // when Wait returned; -1 while it runs
	lateAborts int             // calls of Abort after Wait had returned
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
	if f.onReturn != nil {
		f.onReturn()
	}
	return err
}

func (f *fakeTransfer) Abort() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.aborts = append(f.aborts, time.Since(f.begin))
	if f.returned >= 0 {
		f.lateAborts++
	}
	if len(f.aborts) == 1 {
		close(f.abort)
	}
}

func (f *fakeTransfer) state() (aborts []time.Duration, returned time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Duration(nil), f.aborts...), f.returned
}

// abortsAfterReturn returns how many times Abort was called after Wait had
// returned: the stray Aborts that break the next upload.
func (f *fakeTransfer) abortsAfterReturn() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.lateAborts
}

// noStrayAbort fails the test if Abort was called after Wait returned.
func noStrayAbort(r *report, tr *fakeTransfer, means string) bool {
	r.t.Helper()
	n := tr.abortsAfterReturn()
	if n == 0 {
		return true
	}
	r.fail(katatest.Failure{
		Want:  "no Abort after the transfer's Wait has returned",
		Got:   katatest.Count(n, "call") + " of Abort after Wait returned",
		Means: means,
		Hint:  3,
	})
	return false
}

const strayAbortMeans = "the transfer was aborted after Wait returned: that Abort breaks the next upload on the " +
	"same connection. Abort only through the AfterFunc, and use stop()'s result to learn whether it ran"

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
		default:
			noStrayAbort(r, tr, strayAbortMeans+". The AfterFunc has aborted it already at 30ms; a second Abort "+
				"after Wait (\"to be sure\") is the harmful one")
		}
	})
}

// Task 2: a context that is already done when Await is called: the
// transfer is aborted at once, and Await still waits for it to stop.
func TestAwait_AlreadyCancelled(t *testing.T) {
	errShutdown := errors.New("server shutting down")
	katatest.Bubble(t, 3, func(t *testing.T) {
		r := &report{t: t}
		begin := time.Now()
		ctx, cancel := context.WithCancelCause(context.Background())
		cancel(errShutdown) // before Await is called
		tr := newFakeTransfer(time.Second, nil)
		out := start(begin, func() error { return Await(ctx, tr) })

		katatest.Advance(ms(5) - time.Nanosecond) // the transfer hangs up at 5ms
		aborts, _ := tr.state()
		if o, ok := returned(out); ok {
			f := katatest.Failure{
				Want: "with a context already done, Await aborts the transfer at once and returns at 5ms, " +
					"once Wait has returned (the transfer takes 5ms to hang up)",
				Got: fmt.Sprintf("it returned %s at %v, with %s of Abort", errText(o.err), o.at, katatest.Count(len(aborts), "call")),
				Means: "already-cancelled context: Await returned at once, and the transfer is still running, " +
					"neither aborted nor waited for. A shortcut `if ctx.Err() != nil { return context.Cause(ctx) }` " +
					"skips both; context.AfterFunc on a context that is already done runs Abort at once, so no shortcut is needed",
				Hint: 3,
			}
			if len(aborts) > 0 {
				f.Means = "already-cancelled context: Await aborted the transfer but returned without waiting " +
					"for Wait, so the transfer is still running. Abort, then wait for Wait, then return the cause"
			}
			r.fail(f)
			return
		}
		if len(aborts) == 0 || aborts[0] != 0 {
			got := "no Abort"
			if len(aborts) > 0 {
				got = fmt.Sprintf("the first Abort at %v", aborts[0])
			}
			r.fail(katatest.Failure{
				Want:  "with a context already done, Await aborts the transfer at once (at 0s)",
				Got:   got,
				Means: "Await did not abort a transfer whose context was already done when Await was called",
				Hint:  3,
			})
		}
		o, ok := await(out)
		switch {
		case !ok:
			r.fail(katatest.Failure{
				Want:  "Await returns at 5ms",
				Got:   "it had not returned an hour later",
				Means: "Await waits for something that never comes: a context that is done before the call never becomes done again",
				Hint:  3,
			})
		case o.at != ms(5) || !errors.Is(o.err, errShutdown):
			r.fail(katatest.Failure{
				Want:  fmt.Sprintf("Await returns %s at 5ms", errText(errShutdown)),
				Got:   fmt.Sprintf("%s at %v", errText(o.err), o.at),
				Means: "with a context already done, Await returns the context's cause once the aborted transfer has stopped",
				Hint:  3,
			})
		default:
			noStrayAbort(r, tr, strayAbortMeans)
		}
	})
}

// lateCancel is a context that is cancelled, with cause, at the first look
// anyone takes at it (Done, Err or Value, which context.Cause uses) once
// arm has been called: a cancel that lands in the instant after the
// transfer's Wait returned, before Await has returned.
type lateCancel struct {
	context.Context
	cancel context.CancelCauseFunc
	cause  error
	armed  atomic.Bool
}

func newLateCancel(cause error) *lateCancel {
	ctx, cancel := context.WithCancelCause(context.Background())
	return &lateCancel{Context: ctx, cancel: cancel, cause: cause}
}

func (c *lateCancel) arm() { c.armed.Store(true) }

func (c *lateCancel) fire() {
	if c.armed.Load() {
		c.cancel(c.cause)
	}
}

func (c *lateCancel) Done() <-chan struct{} { c.fire(); return c.Context.Done() }
func (c *lateCancel) Err() error            { c.fire(); return c.Context.Err() }
func (c *lateCancel) Value(key any) any     { c.fire(); return c.Context.Value(key) }

// Task 2: the request is cancelled in the instant after the transfer
// completed by itself. The transfer finished first: Await returns what
// Wait returned, and nothing aborts the finished transfer.
func TestAwait_CancelledAfterItEnded(t *testing.T) {
	errShutdown := errors.New("server shutting down")
	errDiskFull := errors.New("storage: disk full")
	for _, want := range []error{nil, errDiskFull} {
		katatest.Bubble(t, 3, func(t *testing.T) {
			r := &report{t: t}
			ctx := newLateCancel(errShutdown)
			defer ctx.cancel(nil)
			tr := newFakeTransfer(ms(40), want)
			tr.onReturn = ctx.arm // the request ends as soon as anyone looks at it from now on
			err := Await(ctx, tr)
			synctest.Wait()
			if !noStrayAbort(r, tr, strayAbortMeans+". Here the context was cancelled in the instant after Wait "+
				"returned, and what Await had set up on ctx was still there to abort the finished transfer: call "+
				"stop() right after Wait, before looking at ctx (ctx.Err(), ctx.Done(), context.Cause)") {
				return
			}
			if err != want {
				r.fail(katatest.Failure{
					Want: fmt.Sprintf("the transfer completed at 40ms with %s, and the context was cancelled only "+
						"after that: Await returns %s", errText(want), errText(want)),
					Got: errText(err),
					Means: "Await asked the context whether it was done (ctx.Err() after Wait) instead of asking " +
						"stop() whether the AfterFunc ran: a cancel that lands after the transfer ended turns a " +
						"finished upload into an error. `if !stop() { return context.Cause(ctx) }` tells the two apart",
					Hint: 3,
				})
			}
		})
	}
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
			t.Error(evidence.Errorf(evidence.Leak, t.Name(), "%s", katatest.Failure{
				Want: "no goroutine that Await started is still running after Await returned",
				Got:  "still running:\n" + katatest.TrimStacks(left, lessonDir),
				Means: "Await left a goroutine behind, waiting for ctx.Done(). Under a context that is never " +
					"cancelled it waits forever: one leaked goroutine per transfer",
				Hint: 3,
			}))
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
