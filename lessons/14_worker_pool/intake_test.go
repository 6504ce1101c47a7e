package workerpool

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"testing/synctest"
	"time"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
)

const sendOnClosed = "send on closed channel: Shutdown closed the queue while a Submit was still sending on it. " +
	"Close the queue only once no Submit can send any more, and let a waiting Submit see Shutdown in its select"

// Task 5: once Shutdown was called, Submit returns ErrClosed at once, even
// with room in the queue, and the job never runs.
func TestSubmit_AfterShutdown(t *testing.T) {
	katatest.Bubble(t, 5, func(t *testing.T) {
		f := setup(t, 2, 4)
		ctx := testContext(t)
		f.submitAll(t, ctx, 2, f.b.gated(0))
		out := inBackground(func() error { return f.p.Shutdown(ctx) })
		synctest.Wait() // Shutdown waits for job 0; the queue has room
		for i := 1; i <= 3; i++ {
			o := call(func() error { return f.p.Submit(ctx, f.b.sleeping(i, time.Millisecond, nil)) })
			if o.panicked != nil || !errors.Is(o.err, ErrClosed) || o.took != 0 {
				t.Fatal(katatest.Failure{
					Want:  fmt.Sprintf("Submit of job %d, after Shutdown was called, returns ErrClosed at once", i),
					Got:   fmt.Sprintf("%v, panic %v, after %v", o.err, o.panicked, o.took),
					Means: "Submit after Shutdown must return ErrClosed, not accept the job, wait, or panic",
					Hint:  5,
				})
			}
		}
		f.b.open(0)
		f.checkShutdown(t, await(t, "Shutdown", out, 4), 4)
		checkResults(t, f.checkClosed(t, 4), []int{0}, 5)
		o := call(func() error { return f.p.Submit(ctx, f.b.sleeping(9, time.Millisecond, nil)) })
		if o.panicked != nil || !errors.Is(o.err, ErrClosed) {
			t.Fatal(katatest.Failure{
				Want: "Submit after Shutdown returned nil returns ErrClosed",
				Got:  fmt.Sprintf("%v, panic %v", o.err, o.panicked),
				Means: "Submit after Shutdown must return ErrClosed: it panicked if it sent on the closed queue " +
					"(send on closed channel), or it accepted a job no worker will ever run",
				Hint: 5,
			})
		}
	})
}

// Task 5: a Submit that waits for room when Shutdown begins returns
// ErrClosed and never panics. The queue is full, so the Submit is parked on
// its send when Shutdown runs: a Shutdown that closes the queue then makes
// that send panic, on every run.
func TestSubmit_WaitingWhenShutdown(t *testing.T) {
	katatest.Bubble(t, 5, func(t *testing.T) {
		f := setup(t, 1, 1)
		ctx := testContext(t)
		f.submitAll(t, ctx, 2, f.b.gated(0), f.b.gated(1))
		waiting := inBackground(func() error { return f.p.Submit(ctx, f.b.gated(2)) })
		synctest.Wait()
		if o, ok := returned(waiting); ok {
			t.Fatal(katatest.Failure{
				Want:  "Submit of job 2 waits: the worker and the queue are full",
				Got:   fmt.Sprintf("it returned %v, %v at once", o.err, o.panicked),
				Means: "when the queue is full, Submit waits for room",
				Hint:  2,
			})
		}
		shut := inBackground(func() error { return f.p.Shutdown(ctx) })
		synctest.Wait()
		o, ok := returned(waiting)
		switch {
		case ok && o.panicked != nil:
			t.Fatal(katatest.Failure{
				Want:  "the waiting Submit returns ErrClosed when Shutdown begins",
				Got:   fmt.Sprintf("it panicked: %v", o.panicked),
				Means: sendOnClosed,
				Hint:  5,
			})
		case !ok:
			t.Fatal(katatest.Failure{
				Want:  "the waiting Submit returns ErrClosed when Shutdown begins",
				Got:   "it still waits for room",
				Means: "Submit must give up when Shutdown begins: wait for room, for Shutdown or for ctx, whichever comes first, in one select",
				Hint:  5,
			})
		case !errors.Is(o.err, ErrClosed):
			t.Fatal(katatest.Failure{
				Want: "the waiting Submit returns ErrClosed when Shutdown begins",
				Got:  fmt.Sprint(o.err),
				Hint: 5,
			})
		}
		if o, ok := returned(shut); ok {
			t.Fatal(katatest.Failure{
				Want:  "Shutdown waits: jobs 0 and 1 are not done",
				Got:   fmt.Sprintf("it returned %v, %v", o.err, o.panicked),
				Means: lostJobs,
				Hint:  4,
			})
		}
		f.b.openAll()
		f.checkShutdown(t, await(t, "Shutdown", shut, 4), 4)
		checkResults(t, f.checkClosed(t, 4), ids(0, 2), 5)
	})
}

// Task 5: Submits and a Shutdown released at the same instant from
// goroutines of their own: each Submit returns nil or ErrClosed, never
// panics, and every job accepted runs. Nothing orders the Submits' look at
// the pool's state before Shutdown's change of it except the pool's own
// synchronization, so under -race an unguarded flag is reported on every
// run.
func TestSubmit_RacingShutdown(t *testing.T) {
	katatest.Bubble(t, 5, func(t *testing.T) {
		const callers = 3
		f := setup(t, 1, 1)
		start := make(chan struct{})
		var outs []<-chan outcome
		jobs := make([]Job, callers)
		for i := range callers {
			ctx := testContext(t) // a context each: contexts share a lock, which would order the calls
			jobs[i] = f.b.sleeping(i, time.Millisecond, nil)
			outs = append(outs, inBackground(func() error { <-start; return f.p.Submit(ctx, jobs[i]) }))
		}
		shutCtx := testContext(t)
		shut := inBackground(func() error { <-start; return f.p.Shutdown(shutCtx) })
		close(start)
		var accepted []int
		for i, out := range outs {
			o := await(t, "Submit", out, 5)
			switch {
			case o.panicked != nil:
				t.Fatal(katatest.Failure{
					Want:  "a Submit racing Shutdown returns nil or ErrClosed",
					Got:   fmt.Sprintf("Submit of job %d panicked: %v", i, o.panicked),
					Means: sendOnClosed,
					Hint:  5,
				})
			case o.err == nil:
				accepted = append(accepted, i)
			case !errors.Is(o.err, ErrClosed):
				t.Fatal(katatest.Failure{
					Want: "a Submit racing Shutdown returns nil or ErrClosed",
					Got:  fmt.Sprintf("Submit of job %d returned %v", i, o.err),
					Hint: 5,
				})
			}
		}
		f.checkShutdown(t, await(t, "Shutdown", shut, 4), 4)
		checkResults(t, f.checkClosed(t, 4), accepted, 5)
	})
}

// Task 5: the same race, many times over in one test: callers keep
// submitting while Shutdown runs, and the jobs accepted are exactly the
// jobs that ran.
func TestSubmit_ManyRacingShutdown(t *testing.T) {
	katatest.Bubble(t, 5, func(t *testing.T) {
		const callers, each = 4, 25
		f := setup(t, 2, 2)
		ctx := testContext(t)
		var outs []<-chan outcome
		accepted := make([][]int, callers)
		for c := range callers {
			outs = append(outs, inBackground(func() error {
				for i := c * each; i < (c+1)*each; i++ {
					err := f.p.Submit(ctx, f.b.sleeping(i, time.Millisecond, nil))
					if errors.Is(err, ErrClosed) {
						return nil
					}
					if err != nil {
						return err
					}
					accepted[c] = append(accepted[c], i)
				}
				return nil
			}))
		}
		time.Sleep(10 * time.Millisecond) // in the middle of the stream of jobs
		shutCtx, cancel := context.WithCancel(ctx)
		defer cancel()
		f.checkShutdown(t, await(t, "Shutdown", inBackground(func() error { return f.p.Shutdown(shutCtx) }), 4), 4)
		var all []int
		for c, out := range outs {
			o := await(t, "Submit", out, 5)
			if o.panicked != nil || o.err != nil {
				t.Fatal(katatest.Failure{
					Want:  "every Submit returns nil or ErrClosed",
					Got:   fmt.Sprintf("caller %d: %v, panic %v", c, o.err, o.panicked),
					Means: sendOnClosed,
					Hint:  5,
				})
			}
			all = append(all, accepted[c]...)
		}
		if len(all) == 0 || len(all) == callers*each {
			t.Fatal(katatest.Failure{
				Want:  "some jobs accepted before Shutdown at 10ms, and ErrClosed for the rest",
				Got:   fmt.Sprintf("%d of %d accepted", len(all), callers*each),
				Means: "Submit must accept jobs while the pool runs, and refuse them once Shutdown was called",
				Hint:  5,
			})
		}
		checkResults(t, f.checkClosed(t, 4), all, 5)
	})
}
