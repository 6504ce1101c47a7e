package workerpool

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
)

const perJob = "a goroutine per job: Submit started each job at once instead of putting it in the queue for the workers. " +
	"A pool has a fixed number of workers that take jobs from one channel"

// checkRunning fails the test unless exactly want jobs run now, and never
// more ran at once.
func checkRunning(t *testing.T, s snapshot, want, hint int) {
	t.Helper()
	switch {
	case s.maxRunning > want:
		t.Fatal(katatest.Failure{
			Want:  fmt.Sprintf("at most %d jobs run at once: the pool has %d workers", want, want),
			Got:   fmt.Sprintf("%d ran at once", s.maxRunning),
			Means: perJob,
			Hint:  hint,
		})
	case s.running < want:
		t.Fatal(katatest.Failure{
			Want:  fmt.Sprintf("%d jobs run at once: the pool has %d workers and enough jobs for all", want, want),
			Got:   fmt.Sprintf("%d running (jobs started: %v)", s.running, head(s.started)),
			Means: "fewer workers than New was asked for run: start every worker in New, and keep each one taking jobs until the queue is closed",
			Hint:  hint,
		})
	}
}

// head shows the first ten ids of a list.
func head(ids []int) string {
	if len(ids) <= 10 {
		return fmt.Sprint(ids)
	}
	return strings.TrimSuffix(fmt.Sprint(ids[:10]), "]") + " ...]"
}

// Task 1: exactly as many jobs run as the pool has workers, and a worker
// that is done takes the next job at once.
func TestPool_ExactlyNWorkers(t *testing.T) {
	katatest.Bubble(t, 1, func(t *testing.T) {
		const workers, n = 3, 10
		f := setup(t, workers, n)
		ctx := testContext(t)
		jobs := make([]Job, n)
		for i := range jobs {
			jobs[i] = f.b.gated(i)
		}
		f.submitAll(t, ctx, 1, jobs...)
		s := f.b.snap()
		checkRunning(t, s, workers, 1)
		f.b.open(s.started[0])
		s = f.b.snap()
		if len(s.started) != workers+1 {
			t.Fatal(katatest.Failure{
				Want:  fmt.Sprintf("the worker whose job returned takes the next one: %d jobs started, %d running", workers+1, workers),
				Got:   fmt.Sprintf("%d started, %d running", len(s.started), s.running),
				Means: "a worker must loop: send the result, then take the next job from the queue",
				Hint:  1,
			})
		}
		checkRunning(t, s, workers, 1)
		f.b.openAll()
		checkResults(t, f.shutdown(t, 4), ids(0, n), 4)
	})
}

// Task 1: a big pool runs all its workers, with no hidden cap.
func TestPool_ManyWorkers(t *testing.T) {
	katatest.Bubble(t, 1, func(t *testing.T) {
		const workers = 64
		f := setup(t, workers, 0)
		ctx := testContext(t)
		for i := range workers {
			f.submitAll(t, ctx, 1, f.b.gated(i))
		}
		checkRunning(t, f.b.snap(), workers, 1)
		f.b.openAll()
		checkResults(t, f.shutdown(t, 4), ids(0, workers), 4)
	})
}

// Task 1: the pool's goroutines are its workers, however many jobs wait.
func TestPool_GoroutinesFixed(t *testing.T) {
	katatest.Bubble(t, 1, func(t *testing.T) {
		const workers, n = 4, 1000
		f := setup(t, workers, n)
		ctx := testContext(t)
		sub := inBackground(func() error {
			for i := range n {
				if err := f.p.Submit(ctx, f.b.gated(i)); err != nil {
					return err
				}
			}
			return nil
		})
		synctest.Wait()
		extra := goroutines()
		checkRunning(t, f.b.snap(), workers, 1)
		if extra > workers+2 {
			t.Fatal(katatest.Failure{
				Want:  fmt.Sprintf("at most %d goroutines: the %d workers, the reader of Results and the caller of Submit", workers+2, workers),
				Got:   fmt.Sprintf("%d goroutines with %d jobs submitted", extra, n),
				Means: perJob,
				Hint:  1,
			})
		}
		f.b.openAll()
		if o := await(t, "Submit", sub, 2); o.err != nil {
			t.Fatal(katatest.Failure{Want: "every Submit returns nil", Got: fmt.Sprint(o.err), Hint: 2})
		}
		checkResults(t, f.shutdown(t, 4), ids(0, n), 4)
	})
}

// Task 1: every job has one result, with what its Run returned; 5,000
// jobs of 1ms on 8 workers take exactly 625ms.
func TestPool_EveryJobOneResult(t *testing.T) {
	katatest.Bubble(t, 1, func(t *testing.T) {
		const workers, n = 8, 5000
		errFull := errors.New("disk full")
		f := setup(t, workers, 16)
		ctx := testContext(t)
		took := katatest.Elapsed(func() {
			for i := range n {
				var err error
				if i%1000 == 999 {
					err = fmt.Errorf("job %d: %w", i, errFull)
				}
				if err := f.submit(t, ctx, f.b.sleeping(i, time.Millisecond, err), 2); err != nil {
					t.Fatal(katatest.Failure{Want: "every Submit returns nil", Got: fmt.Sprint(err), Hint: 2})
				}
			}
			f.shutdown(t, 4)
		})
		got, _ := f.r.results()
		var ok []Result
		failed := 0
		for _, r := range got {
			if errors.Is(r.Err, errFull) && r.ID%1000 == 999 {
				failed++
				continue
			}
			ok = append(ok, r)
		}
		if failed != 5 {
			t.Fatal(katatest.Failure{
				Want:  "5 results whose Err is what their job returned (jobs 999, 1999, ... 4999: \"disk full\")",
				Got:   fmt.Sprintf("%d such results", failed),
				Means: "a job's error is part of its result: Result{ID, Value, Err} with what Run returned",
				Hint:  1,
			})
		}
		var want []int
		for i := range n {
			if i%1000 != 999 {
				want = append(want, i)
			}
		}
		checkResults(t, ok, want, 1)
		if s := f.b.snap(); s.maxRunning > workers || took != 625*time.Millisecond {
			t.Fatal(katatest.Failure{
				Want:  "5,000 jobs of 1ms on 8 workers take 625ms, until Shutdown returns",
				Got:   fmt.Sprintf("%v, at most %d jobs at once", took, s.maxRunning),
				Means: "the workers must run side by side, each taking the next job as soon as it is done",
				Hint:  1,
			})
		}
	})
}

// Task 1: a pool that could never run a job is refused.
func TestNew_Invalid(t *testing.T) {
	katatest.Watchdog(t, 1)
	for _, c := range [][2]int{{0, 1}, {-1, 1}, {1, -1}} {
		panicked := func() (p bool) {
			defer func() { p = recover() != nil }()
			New(c[0], c[1])
			return false
		}()
		if !panicked {
			t.Error(katatest.Failure{
				Want:  fmt.Sprintf("New(%d, %d) panics", c[0], c[1]),
				Got:   "it returned a Pool",
				Means: "a pool without a worker never runs a job, and a queue cannot have a negative size: refuse them when the pool is made",
				Hint:  1,
			})
		}
	}
}

// Task 1: the workers are counted before they start. Nothing can force the
// mistake from outside (the count is taken before the test's code runs),
// so this test reads the source, as go vet's waitgroup check does.
func TestPool_WorkersCountedBeforeTheyStart(t *testing.T) {
	katatest.Watchdog(t, 1)
	places, err := katatest.AddInsideGo(".")
	if err != nil {
		t.Fatal(err)
	}
	if len(places) > 0 {
		t.Error(katatest.Failure{
			Want: "the workers' WaitGroup is counted (Add, or Go) before each worker goroutine starts",
			Got:  "Add inside the goroutine it counts, at " + strings.Join(places, ", "),
			Means: "Add racing Wait: a worker that counts itself only once it runs can be late, and Shutdown's Wait " +
				"then sees zero and closes Results while jobs still run (go vet reports it too)",
			Hint: 1,
		})
	}
}

// Task 2: Submit waits while the workers are busy and the queue is full,
// and goes on the moment a worker takes a job.
func TestSubmit_WaitsForRoom(t *testing.T) {
	katatest.Bubble(t, 2, func(t *testing.T) {
		const workers, queue = 2, 3
		f := setup(t, workers, queue)
		ctx := testContext(t)
		for i := range workers + queue {
			f.submitAll(t, ctx, 2, f.b.gated(i))
		}
		next := f.b.gated(workers + queue)
		out := inBackground(func() error { return f.p.Submit(ctx, next) })
		synctest.Wait()
		if o, ok := returned(out); ok {
			t.Fatal(katatest.Failure{
				Want:  fmt.Sprintf("Submit of job %d waits: %d jobs run and %d fill the queue", next.ID, workers, queue),
				Got:   fmt.Sprintf("it returned %v, %v at once", o.err, o.panicked),
				Means: "when the queue is full, Submit waits for room; it neither drops the job nor fails",
				Hint:  2,
			})
		}
		f.b.open(f.b.snap().started[0])
		o, ok := returned(out)
		if !ok || o.err != nil || o.panicked != nil {
			t.Fatal(katatest.Failure{
				Want:  "Submit returns nil the moment a worker is done and takes a job from the queue",
				Got:   fmt.Sprintf("returned: %v (%v, %v)", ok, o.err, o.panicked),
				Means: "Submit must wait for room in the queue, not for more",
				Hint:  2,
			})
		}
		f.b.openAll()
		checkResults(t, f.shutdown(t, 4), ids(0, workers+queue+1), 4)
	})
}

// Task 2: with a queue of 0, a job is accepted only when a worker takes it.
func TestSubmit_NoQueue(t *testing.T) {
	katatest.Bubble(t, 2, func(t *testing.T) {
		f := setup(t, 1, 0)
		ctx := testContext(t)
		f.submitAll(t, ctx, 2, f.b.gated(0))
		second := f.b.gated(1)
		out := inBackground(func() error { return f.p.Submit(ctx, second) })
		synctest.Wait()
		if o, ok := returned(out); ok {
			t.Fatal(katatest.Failure{
				Want:  "the second Submit waits: the only worker is busy and the queue has no room (New(1, 0))",
				Got:   fmt.Sprintf("it returned %v, %v at once", o.err, o.panicked),
				Means: "the queue is bigger than New was told: make(chan Job, queue)",
				Hint:  2,
			})
		}
		f.b.open(0)
		if o, ok := returned(out); !ok || o.err != nil {
			t.Fatal(katatest.Failure{
				Want: "the second Submit returns nil once the worker is free",
				Got:  fmt.Sprintf("returned: %v (%v)", ok, o.err),
				Hint: 2,
			})
		}
		f.b.openAll()
		checkResults(t, f.shutdown(t, 4), ids(0, 2), 4)
	})
}

// Task 2: a Submit that waits for room gives up when its context is done,
// and its job never runs.
func TestSubmit_CancelWhileWaiting(t *testing.T) {
	katatest.Bubble(t, 2, func(t *testing.T) {
		f := setup(t, 1, 1)
		ctx := testContext(t)
		f.submitAll(t, ctx, 2, f.b.gated(0), f.b.gated(1))
		waitCtx, cancel := context.WithCancel(ctx)
		defer cancel()
		out := inBackground(func() error { return f.p.Submit(waitCtx, f.b.gated(2)) })
		synctest.Wait()
		if o, ok := returned(out); ok {
			t.Fatal(katatest.Failure{
				Want:  "Submit of job 2 waits: the worker and the queue are full",
				Got:   fmt.Sprintf("it returned %v, %v at once", o.err, o.panicked),
				Means: "when the queue is full, Submit waits for room",
				Hint:  2,
			})
		}
		cancel()
		synctest.Wait()
		o, ok := returned(out)
		if !ok || !errors.Is(o.err, context.Canceled) {
			t.Fatal(katatest.Failure{
				Want:  "Submit returns context.Canceled the moment its context is cancelled",
				Got:   fmt.Sprintf("returned: %v (%v, %v)", ok, o.err, o.panicked),
				Means: "Submit must wait for room or for its context, whichever comes first: a select with both",
				Hint:  2,
			})
		}
		f.b.openAll()
		checkResults(t, f.shutdown(t, 4), ids(0, 2), 4)
	})
}

// Task 2: a context already done submits nothing, even with room free.
func TestSubmit_AlreadyCancelled(t *testing.T) {
	katatest.Bubble(t, 2, func(t *testing.T) {
		f := setup(t, 2, 20)
		ctx, cancel := context.WithCancel(testContext(t))
		cancel()
		for i := range 20 {
			if err := f.submit(t, ctx, f.b.sleeping(i, time.Millisecond, nil), 2); !errors.Is(err, context.Canceled) {
				t.Fatal(katatest.Failure{
					Want: "Submit returns context.Canceled, and the job never runs: the context was done before Submit was called",
					Got:  fmt.Sprintf("Submit of job %d returned %v", i, err),
					Means: "with room in the queue and a done context both ready, select picks either at random: " +
						"check ctx.Err() before you send",
					Hint: 2,
				})
			}
		}
		if got := f.shutdown(t, 4); len(got) != 0 {
			t.Fatal(katatest.Failure{
				Want:  "no job ran: every Submit returned an error",
				Got:   fmt.Sprintf("%s, the first of job %d", katatest.Count(len(got), "result"), got[0].ID),
				Means: "a job whose Submit returned an error must never run",
				Hint:  2,
			})
		}
	})
}

// Task 2: several goroutines submit at once.
func TestSubmit_ConcurrentCallers(t *testing.T) {
	katatest.Bubble(t, 2, func(t *testing.T) {
		const callers, each = 4, 50
		f := setup(t, 3, 2)
		ctx := testContext(t)
		start := make(chan struct{})
		var outs []<-chan outcome
		for c := range callers {
			outs = append(outs, inBackground(func() error {
				<-start
				for i := c * each; i < (c+1)*each; i++ {
					if err := f.p.Submit(ctx, f.b.sleeping(i, time.Duration(1+i%3)*time.Millisecond, nil)); err != nil {
						return err
					}
				}
				return nil
			}))
		}
		close(start)
		for _, out := range outs {
			if o := await(t, "Submit", out, 2); o.err != nil || o.panicked != nil {
				t.Fatal(katatest.Failure{
					Want: "every Submit returns nil",
					Got:  fmt.Sprintf("%v, %v", o.err, o.panicked),
					Hint: 2,
				})
			}
		}
		checkResults(t, f.shutdown(t, 4), ids(0, callers*each), 4)
	})
}
