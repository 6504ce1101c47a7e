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

const lostJobs = "jobs lost at shutdown: Shutdown stopped the workers while jobs were still in the queue. " +
	"Close the queue and let each worker range over it until it is empty"

// Task 4: Shutdown waits for the running job and every queued one, and the
// queued ones all run.
func TestShutdown_FinishesQueuedJobs(t *testing.T) {
	katatest.Bubble(t, 4, func(t *testing.T) {
		f := setup(t, 1, 3)
		ctx := testContext(t)
		f.submitAll(t, ctx, 2, f.b.gated(0), f.b.gated(1), f.b.gated(2), f.b.gated(3))
		out := inBackground(func() error { return f.p.Shutdown(ctx) })
		synctest.Wait()
		if o, ok := returned(out); ok {
			t.Fatal(katatest.Failure{
				Want:  "Shutdown waits: job 0 runs and jobs 1, 2, 3 wait in the queue",
				Got:   fmt.Sprintf("it returned %v, %v at once", o.err, o.panicked),
				Means: "Shutdown did not wait for the jobs: it must return only when every accepted job has run and its result was received",
				Hint:  4,
			})
		}
		for id := range 4 {
			f.b.open(id)
		}
		o := await(t, "Shutdown", out, 4)
		if s := f.b.snap(); len(s.started) != 4 {
			t.Fatal(katatest.Failure{
				Want:  "jobs 0, 1, 2 and 3 all run before Shutdown returns",
				Got:   fmt.Sprintf("jobs run: %v; Shutdown returned %v", s.started, o.err),
				Means: lostJobs,
				Hint:  4,
			})
		}
		f.checkShutdown(t, o, 4)
		checkResults(t, f.checkClosed(t, 4), ids(0, 4), 4)
	})
}

// Task 4: Shutdown returns the moment the last job is done: two workers,
// four jobs of 300ms, Shutdown at 100ms returns at 600ms.
func TestShutdown_WaitsForRunningJobs(t *testing.T) {
	katatest.Bubble(t, 4, func(t *testing.T) {
		f := setup(t, 2, 2)
		ctx := testContext(t)
		for i := range 4 {
			f.submitAll(t, ctx, 2, f.b.sleeping(i, 300*time.Millisecond, nil))
		}
		time.Sleep(100 * time.Millisecond)
		var got []Result
		took := katatest.Elapsed(func() { got = f.shutdown(t, 4) })
		checkResults(t, got, ids(0, 4), 4)
		if took != 500*time.Millisecond {
			t.Fatal(katatest.Failure{
				Want:  "Shutdown, called at 100ms, returns at 600ms, when the last of 4 jobs of 300ms on 2 workers is done: after 500ms",
				Got:   fmt.Sprintf("after %v", took),
				Means: "Shutdown must wait for the running and queued jobs, and return as soon as they are done",
				Hint:  4,
			})
		}
	})
}

// Task 4: Shutdown gives up at its deadline, exactly, with the context's
// error; the pool still finishes after it.
func TestShutdown_Deadline(t *testing.T) {
	katatest.Bubble(t, 4, func(t *testing.T) {
		f := setup(t, 1, 1)
		f.submitAll(t, testContext(t), 2, f.b.gated(0), f.b.gated(1))
		ctx, cancel := context.WithTimeout(testContext(t), time.Second)
		defer cancel()
		out := inBackground(func() error { return f.p.Shutdown(ctx) })
		katatest.Advance(time.Second - time.Nanosecond)
		if o, ok := returned(out); ok {
			t.Fatal(katatest.Failure{
				Want:  "Shutdown waits until its deadline (1s): both jobs are still busy",
				Got:   fmt.Sprintf("it returned %v, %v after %v", o.err, o.panicked, o.took),
				Means: "Shutdown must wait for the jobs, up to its deadline",
				Hint:  4,
			})
		}
		katatest.Advance(time.Nanosecond)
		o, ok := returned(out)
		if !ok || !errors.Is(o.err, context.DeadlineExceeded) {
			t.Fatal(katatest.Failure{
				Want:  "Shutdown returns context.DeadlineExceeded at its deadline, 1s, while the jobs still run",
				Got:   fmt.Sprintf("returned: %v (%v, %v)", ok, o.err, o.panicked),
				Means: "Shutdown ignores its deadline: wait for the pool and for ctx.Done() in one select",
				Hint:  4,
			})
		}
		f.b.openAll()
		synctest.Wait()
		checkResults(t, f.checkClosed(t, 4), ids(0, 2), 4)
	})
}

// Task 4: a Shutdown whose context is already done returns at once, and
// still stops intake and lets the pool finish.
func TestShutdown_AlreadyCancelled(t *testing.T) {
	katatest.Bubble(t, 4, func(t *testing.T) {
		f := setup(t, 1, 1)
		f.submitAll(t, testContext(t), 2, f.b.gated(0), f.b.gated(1))
		ctx, cancel := context.WithCancel(testContext(t))
		cancel()
		o := await(t, "Shutdown", inBackground(func() error { return f.p.Shutdown(ctx) }), 4)
		if !errors.Is(o.err, context.Canceled) || o.took != 0 {
			t.Fatal(katatest.Failure{
				Want:  "Shutdown returns context.Canceled at once: its context was cancelled before the call",
				Got:   fmt.Sprintf("%v, %v after %v", o.err, o.panicked, o.took),
				Means: "Shutdown ignores its deadline: wait for the pool and for ctx.Done() in one select",
				Hint:  4,
			})
		}
		if err := f.submit(t, testContext(t), f.b.gated(2), 5); !errors.Is(err, ErrClosed) {
			t.Fatal(katatest.Failure{
				Want:  "Submit after Shutdown returns ErrClosed, even if that Shutdown gave up at once",
				Got:   fmt.Sprint(err),
				Means: "Shutdown must stop intake first, before it waits",
				Hint:  5,
			})
		}
		f.b.openAll()
		synctest.Wait()
		checkResults(t, f.checkClosed(t, 4), ids(0, 2), 4)
	})
}

// Task 4: Shutdown twice is safe: the second call waits as the first did,
// or returns nil at once when the pool is already done.
func TestShutdown_Twice(t *testing.T) {
	katatest.Bubble(t, 4, func(t *testing.T) {
		f := setup(t, 1, 1)
		ctx := testContext(t)
		f.submitAll(t, ctx, 2, f.b.sleeping(0, 100*time.Millisecond, nil))
		short, cancel := context.WithTimeout(ctx, 10*time.Millisecond)
		defer cancel()
		first := inBackground(func() error { return f.p.Shutdown(short) })
		o := await(t, "Shutdown", first, 4)
		if !errors.Is(o.err, context.DeadlineExceeded) {
			t.Fatal(katatest.Failure{
				Want:  "the first Shutdown returns context.DeadlineExceeded after 10ms, while job 0 runs (100ms)",
				Got:   fmt.Sprintf("%v, %v after %v", o.err, o.panicked, o.took),
				Means: "Shutdown ignores its deadline: wait for the pool and for ctx.Done() in one select",
				Hint:  4,
			})
		}
		second := await(t, "the second Shutdown", inBackground(func() error { return f.p.Shutdown(ctx) }), 4)
		if second.panicked != nil || second.err != nil || second.took != 90*time.Millisecond {
			t.Fatal(katatest.Failure{
				Want:  "a second Shutdown, after the first gave up, waits for job 0 and returns nil at 100ms, 90ms later",
				Got:   fmt.Sprintf("%v, panic %v, after %v", second.err, second.panicked, second.took),
				Means: "Shutdown twice must be safe: stop intake once (sync.Once), and let every call wait for the pool",
				Hint:  4,
			})
		}
		checkResults(t, f.checkClosed(t, 4), []int{0}, 4)
		third := call(func() error { return f.p.Shutdown(ctx) })
		if third.panicked != nil || third.err != nil || third.took != 0 {
			t.Fatal(katatest.Failure{
				Want:  "Shutdown of a pool that has finished returns nil at once",
				Got:   fmt.Sprintf("%v, panic %v, after %v", third.err, third.panicked, third.took),
				Means: "Shutdown twice must be safe: stop intake once (sync.Once), and let every call wait for the pool",
				Hint:  4,
			})
		}
	})
}

// Task 4: several goroutines call Shutdown at once; all wait, and all
// return nil when the pool is done.
func TestShutdown_Concurrent(t *testing.T) {
	katatest.Bubble(t, 4, func(t *testing.T) {
		f := setup(t, 2, 2)
		ctx := testContext(t)
		for i := range 4 {
			f.submitAll(t, ctx, 2, f.b.sleeping(i, 100*time.Millisecond, nil))
		}
		start := make(chan struct{})
		var outs []<-chan outcome
		for range 3 {
			outs = append(outs, inBackground(func() error { <-start; return f.p.Shutdown(ctx) }))
		}
		close(start)
		for _, out := range outs {
			o := await(t, "Shutdown", out, 4)
			if o.panicked != nil || o.err != nil || o.took != 200*time.Millisecond {
				t.Fatal(katatest.Failure{
					Want:  "three Shutdowns at once each return nil at 200ms, when the 4 jobs of 100ms on 2 workers are done",
					Got:   fmt.Sprintf("one returned %v, panic %v, after %v", o.err, o.panicked, o.took),
					Means: "Shutdown twice must be safe: stop intake once (sync.Once), and let every call wait for the pool",
					Hint:  4,
				})
			}
		}
		checkResults(t, f.checkClosed(t, 4), ids(0, 4), 4)
	})
}

// Task 4: a pool that never had a job shuts down at once, and its workers
// return.
func TestShutdown_IdlePool(t *testing.T) {
	katatest.Bubble(t, 4, func(t *testing.T) {
		f := setup(t, 4, 4)
		var got []Result
		took := katatest.Elapsed(func() { got = f.shutdown(t, 4) })
		synctest.Wait()
		if took != 0 || len(got) != 0 {
			t.Fatal(katatest.Failure{
				Want: "Shutdown of an idle pool returns nil at once, with no result",
				Got:  fmt.Sprintf("after %v, %s", took, katatest.Count(len(got), "result")),
				Hint: 4,
			})
		}
		if left := goroutines(); left != 0 {
			t.Fatal(katatest.Failure{
				Want:  "no goroutine of the pool is left once Shutdown returned nil",
				Got:   fmt.Sprintf("%d left", left),
				Means: "the workers must return once the queue is closed and empty",
				Hint:  4,
			})
		}
	})
}

// Task 4: the Results channel stays open while the pool runs, however idle,
// and closes only after the last result.
func TestResults_OpenUntilShutdown(t *testing.T) {
	katatest.Bubble(t, 4, func(t *testing.T) {
		f := setup(t, 2, 0)
		ctx := testContext(t)
		f.submitAll(t, ctx, 2, f.b.sleeping(0, time.Millisecond, nil))
		time.Sleep(30 * time.Minute) // idle for half an hour
		synctest.Wait()
		if got, shut := f.r.results(); shut || len(got) != 1 {
			t.Fatal(katatest.Failure{
				Want:  "half an hour after its only job, the pool is idle: 1 result received, Results still open",
				Got:   fmt.Sprintf("%s, closed: %v", katatest.Count(len(got), "result"), shut),
				Means: "Results must be closed only after Shutdown, once the last result was sent",
				Hint:  4,
			})
		}
		f.submitAll(t, ctx, 2, f.b.gated(1))
		out := inBackground(func() error { return f.p.Shutdown(ctx) })
		synctest.Wait()
		if _, shut := f.r.results(); shut {
			t.Fatal(katatest.Failure{
				Want:  "Results stays open while job 1 runs, after Shutdown was called",
				Got:   "it was closed",
				Means: "Results must be closed only after the last worker sent its last result",
				Hint:  4,
			})
		}
		f.b.open(1)
		f.checkShutdown(t, await(t, "Shutdown", out, 4), 4)
		checkResults(t, f.checkClosed(t, 4), ids(0, 2), 4)
	})
}

// Task 4: a slow reader of Results slows the workers down and loses
// nothing; Shutdown waits for it too.
func TestResults_SlowReader(t *testing.T) {
	katatest.Bubble(t, 4, func(t *testing.T) {
		f := setupSlow(t, 3, 3, 100*time.Millisecond)
		ctx := testContext(t)
		for i := range 6 {
			f.submitAll(t, ctx, 2, f.b.sleeping(i, 0, nil))
		}
		out := inBackground(func() error { return f.p.Shutdown(ctx) })
		o := await(t, "Shutdown", out, 4)
		f.checkShutdown(t, o, 4)
		checkResults(t, f.checkClosed(t, 4), ids(0, 6), 4)
		if o.took != 500*time.Millisecond {
			t.Fatal(katatest.Failure{
				Want:  "Shutdown returns at 500ms, when a reader that is ready for a result only every 100ms has received the 6th",
				Got:   fmt.Sprint(o.took),
				Means: "each worker must wait until its result is received before it takes the next job, and Shutdown must wait for the last one",
				Hint:  4,
			})
		}
	})
}

// Task 4: results come in the order the jobs finish, not the order they
// were submitted.
func TestResults_InFinishOrder(t *testing.T) {
	katatest.Bubble(t, 4, func(t *testing.T) {
		f := setup(t, 3, 0)
		ctx := testContext(t)
		f.submitAll(t, ctx, 2, f.b.sleeping(0, 300*time.Millisecond, nil),
			f.b.sleeping(1, 100*time.Millisecond, nil), f.b.sleeping(2, 200*time.Millisecond, nil))
		got := f.shutdown(t, 4)
		checkResults(t, got, ids(0, 3), 4)
		if got[0].ID != 1 || got[1].ID != 2 || got[2].ID != 0 {
			t.Fatal(katatest.Failure{
				Want:  "the results of jobs 1 (100ms), 2 (200ms) and 0 (300ms), in that order",
				Got:   fmt.Sprintf("jobs %d, %d, %d", got[0].ID, got[1].ID, got[2].ID),
				Means: "each worker sends its result as soon as its job is done: the reader sees results in the order the jobs finish",
				Hint:  4,
			})
		}
	})
}
