package boundedconcurrency

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
)

// jobsFor returns one job per weight, job i named "job<i>", each a call
// of db holding its weight.
func jobsFor(db *fakeDB, weights ...int64) []Job {
	jobs := make([]Job, len(weights))
	for i, w := range weights {
		jobs[i] = Job{Name: fmt.Sprintf("job%d", i), Weight: w, Run: func(ctx context.Context) error { return db.call(ctx, i, w) }}
	}
	return jobs
}

func startRunWeighted(ctx context.Context, capacity int64, jobs []Job) <-chan outcome {
	return inBackground(func() error { return RunWeighted(ctx, capacity, jobs) })
}

// Task 3: the weights running add up to at most the capacity, jobs start in
// order, and a returning job makes room at once.
func TestRunWeighted_CapacityNeverExceeded(t *testing.T) {
	katatest.Bubble(t, 4, func(t *testing.T) {
		weights := []int64{2, 2, 2, 1, 3, 5, 1}
		const capacity = 5
		db := newDB(t).gated(len(weights))
		out := startRunWeighted(testContext(t), capacity, jobsFor(db, weights...))
		// After each job returns (-1: at the start), the jobs started and the weight running.
		steps := []struct {
			returns int
			started int
			load    int64
			why     string
		}{
			{-1, 2, 4, "job0 and job1 (2+2) run; job2 (2) does not fit, and job3 (1) waits behind it"},
			{0, 4, 5, "job2 and job3 take job0's room: 2+2+1"},
			{1, 4, 3, "job4 (3) does not fit in the 2 that job1 freed"},
			{2, 5, 4, "job4 takes job2's room: 1+3"},
			{3, 5, 3, "job5 (5) needs the whole capacity"},
			{4, 6, 5, "job5 runs alone"},
			{5, 7, 1, "job6 (1) follows"},
		}
		for _, st := range steps {
			if st.returns >= 0 {
				db.open(st.returns)
			} else {
				synctest.Wait()
			}
			s := db.snap()
			slices.Sort(s.started) // goroutines run in any order; the set is what counts
			when := "at the start"
			if st.returns >= 0 {
				when = fmt.Sprintf("after job%d returned", st.returns)
			}
			switch {
			case s.maxLoad > capacity:
				means := "the weights were not respected: a big job must hold as much of the capacity as it weighs"
				if len(s.started) == len(weights) {
					means = "unbounded fan-out: every job started at once"
				}
				t.Fatal(katatest.Failure{
					Want:  fmt.Sprintf("at most %d units of weight running at once", capacity),
					Got:   fmt.Sprintf("%d units running %s (jobs started: %v, weights %v)", s.maxLoad, when, s.started, weights),
					Means: means,
					Hint:  4,
				})
			case !slices.Equal(s.started, []int{0, 1, 2, 3, 4, 5, 6}[:len(s.started)]):
				t.Fatal(katatest.Failure{
					Want: "jobs start in the order of the slice: the jobs started are always the first few",
					Got:  fmt.Sprintf("jobs started %s: %v", when, s.started),
					Means: "a light job overtook a heavier one waiting for room: with enough light jobs, the heavy " +
						"one waits forever (starvation). Take each job's room in turn, before its goroutine",
					Hint: 4,
				})
			case len(s.started) != st.started || s.load != st.load:
				t.Fatal(katatest.Failure{
					Want:  fmt.Sprintf("%s: %d jobs started, %d units running (%s)", when, st.started, st.load, st.why),
					Got:   fmt.Sprintf("%d started, %d units running", len(s.started), s.load),
					Means: "the room a job frees must go to the next job at once, as much as fits",
					Hint:  4,
				})
			}
		}
		db.openAll()
		if o := await(t, "RunWeighted", out, 4); o.err != nil {
			t.Errorf("%v", katatest.Failure{Want: "nil: no job failed", Got: fmt.Sprint(o.err), Hint: 5})
		}
	})
}

// Task 3: a job's goroutine is started only once the job has its room.
func TestRunWeighted_GoroutinesBounded(t *testing.T) {
	katatest.Bubble(t, 4, func(t *testing.T) {
		const n, capacity = 1000, 3
		weights := make([]int64, n)
		for i := range weights {
			weights[i] = 1
		}
		db := newDB(t).gated(n)
		before := goroutines()
		out := startRunWeighted(testContext(t), capacity, jobsFor(db, weights...))
		synctest.Wait()
		extra := goroutines() - before
		s := db.snap()
		checkInFlight(t, s, capacity, n, "RunWeighted")
		if extra > capacity+2 {
			t.Fatal(katatest.Failure{
				Want: fmt.Sprintf("at most %d goroutines: the %d jobs running and RunWeighted's own", capacity+2, capacity),
				Got:  fmt.Sprintf("%d goroutines while %d jobs of %d run", extra, s.load, n),
				Means: "acquire inside the goroutine: every job got a goroutine at once and waits in it for room. " +
					"Acquire before the go statement",
				Hint: 4,
			})
		}
		db.openAll()
		await(t, "RunWeighted", out, 4)
	})
}

// Task 3: the jobs still run side by side, as many as fit.
func TestRunWeighted_StillConcurrent(t *testing.T) {
	for _, c := range []struct {
		weight int64
		n      int
		want   time.Duration
		why    string
	}{
		{1, 8, 200 * time.Millisecond, "8 jobs of weight 1 and 100ms in a capacity of 4: 2 rounds"},
		{2, 8, 400 * time.Millisecond, "8 jobs of weight 2: 2 at a time, 4 rounds"},
		{4, 2, 200 * time.Millisecond, "2 jobs that weigh the whole capacity: one after the other"},
	} {
		t.Run(fmt.Sprintf("weight_%d", c.weight), func(t *testing.T) {
			katatest.Bubble(t, 4, func(t *testing.T) {
				db := newDB(t)
				weights := make([]int64, c.n)
				for i := range weights {
					weights[i] = c.weight
				}
				o := await(t, "RunWeighted", startRunWeighted(testContext(t), 4, jobsFor(db, weights...)), 4)
				s := db.snap()
				if o.err != nil || len(s.started) != c.n || o.took != c.want || s.maxLoad > 4 {
					means := "RunWeighted must run every job, as many at once as fit"
					switch {
					case errors.Is(o.err, ErrTooHeavy):
						means = "a job as heavy as the capacity fits exactly: only a heavier one is too heavy"
					case s.maxLoad > 4:
						means = "the weights were not respected: more ran at once than the capacity holds"
					case o.took > c.want && len(s.started) == c.n:
						means = "the jobs were serialized: jobs that fit side by side must run side by side"
					}
					t.Fatal(katatest.Failure{
						Want:  fmt.Sprintf("nil after %v (%s)", c.want, c.why),
						Got:   fmt.Sprintf("%v after %v, %s run, at most %d units at once", o.err, o.took, katatest.Count(len(s.started), "job"), s.maxLoad),
						Means: means,
						Hint:  4,
					})
				}
			})
		})
	}
}

// Task 3: a job heavier than the capacity is an error at once, not a hang,
// wherever it is in the slice: first, in the middle, last.
func TestRunWeighted_TooHeavy(t *testing.T) {
	for _, at := range []int{0, 1, 2} {
		t.Run(fmt.Sprintf("job_%d", at), func(t *testing.T) {
			katatest.Bubble(t, 4, func(t *testing.T) { tooHeavy(t, at) })
		})
	}
}

// tooHeavy runs three jobs of weight 1 but job at, of weight 5, in a
// capacity of 4.
func tooHeavy(t *testing.T, at int) {
	db := newDB(t)
	weights := []int64{1, 1, 1}
	weights[at] = 5
	jobs := jobsFor(db, weights...)
	jobs[at].Name = "export-events"
	o := await(t, "RunWeighted", startRunWeighted(testContext(t), 4, jobs), 4)
	s := db.snap()
	if !errors.Is(o.err, ErrTooHeavy) || o.took != 0 || len(s.started) != 0 || !strings.Contains(o.err.Error(), "export-events") {
		means := "RunWeighted must check every weight before it starts anything, and name the job that can never fit"
		if o.took >= patience {
			means = "a job heavier than the whole capacity can never start: semaphore.Acquire waits for it until " +
				"the context ends (here an hour). Check the weights first and return ErrTooHeavy"
		}
		t.Error(katatest.Failure{
			Want:  fmt.Sprintf("at once, an error wrapping ErrTooHeavy that names export-events (job %d of 3, weight 5, capacity 4), and no job run", at),
			Got:   fmt.Sprintf("%v after %v, %s started", o.err, o.took, katatest.Count(len(s.started), "job")),
			Means: means,
			Hint:  4,
		})
	}
}

// Task 3: a failed job frees its weight and does not stop the others; every
// error is returned, naming its job.
func TestRunWeighted_ErrorFreesItsRoom(t *testing.T) {
	katatest.Bubble(t, 5, func(t *testing.T) {
		db := newDB(t)
		db.latency = func(i int) time.Duration {
			if i == 0 {
				return 10 * time.Millisecond
			}
			return 100 * time.Millisecond
		}
		errAudit := errors.New("db: audit table locked")
		db.fail[0], db.fail[2] = errDB, errAudit
		o := await(t, "RunWeighted", startRunWeighted(testContext(t), 3, jobsFor(db, 3, 3, 3)), 5)
		s := db.snap()
		switch {
		case o.took >= patience:
			t.Fatal(katatest.Failure{
				Want: "job1 starts at 10ms, when job0 fails, and RunWeighted returns at 210ms",
				Got:  fmt.Sprintf("it returned only when its context ended, after %v, with %v; jobs started: %v", o.took, o.err, s.started),
				Means: "slot leaked on an error: the failed job never gave its weight back, so the jobs behind it wait " +
					"forever. Release on every path: defer sem.Release(w)",
				Hint: 5,
			})
		case len(s.started) != 3:
			t.Fatal(katatest.Failure{
				Want:  "all three jobs run: a failing job does not stop the others",
				Got:   fmt.Sprintf("jobs started: %v, returned %v after %v", s.started, o.err, o.took),
				Means: "a failed job stopped the others: RunWeighted runs every job and reports every failure",
				Hint:  5,
			})
		case !errors.Is(o.err, errDB) || !errors.Is(o.err, errAudit):
			t.Fatal(katatest.Failure{
				Want:  fmt.Sprintf("an error for which errors.Is finds both %q (job0) and %q (job2, the last)", errDB, errAudit),
				Got:   fmt.Sprint(o.err),
				Means: "errors were lost: collect the error of every failed job and join them (errors.Join)",
				Hint:  5,
			})
		case !strings.Contains(o.err.Error(), "job0") || !strings.Contains(o.err.Error(), "job2"):
			t.Fatal(katatest.Failure{
				Want:  "each error names its job (job0, job2)",
				Got:   o.err.Error(),
				Means: "an error without the job's name does not say which export to run again: fmt.Errorf(\"%s: %w\", job.Name, err)",
				Hint:  5,
			})
		case o.took != 210*time.Millisecond:
			t.Fatal(katatest.Failure{
				Want:  "RunWeighted returns at 210ms: job0 fails at 10ms, job1 and job2 (100ms each, weight 3 of 3) follow",
				Got:   fmt.Sprintf("%v", o.took),
				Means: "the room of a failed job must be free at once",
				Hint:  5,
			})
		}
	})
}

// Task 3: when the caller gives up, the jobs waiting for room never start.
func TestRunWeighted_CancelWhileWaiting(t *testing.T) {
	katatest.Bubble(t, 4, func(t *testing.T) {
		db := newDB(t).gated(3)
		ctx, cancel := context.WithCancel(testContext(t))
		defer cancel()
		db.hangUp = 5 * time.Millisecond // the cancelled job0 needs 5ms to return
		out := startRunWeighted(ctx, 2, jobsFor(db, 2, 2, 2))
		synctest.Wait()
		cancel()
		synctest.Wait()
		if o, ok := returned(out); ok {
			t.Fatal(katatest.Failure{
				Want:  "RunWeighted returns 5ms after the cancel, when the running job0 has returned",
				Got:   fmt.Sprintf("it returned %v at the instant of the cancel", o.err),
				Means: "RunWeighted must wait for every job it started, the running ones included",
				Hint:  4,
			})
		}
		katatest.Advance(5 * time.Millisecond)
		s := db.snap()
		o, ok := returned(out)
		if len(s.started) != 1 || !ok || !errors.Is(o.err, context.Canceled) {
			t.Error(katatest.Failure{
				Want: "job0 only, RunWeighted returning when job0 has, with an error for which errors.Is(err, context.Canceled) " +
					"holds: the caller cancelled while job1 and job2 waited for room",
				Got:   fmt.Sprintf("jobs started: %v; returned: %v (%v)", s.started, ok, o.err),
				Means: "the jobs waiting for room must not start once the context is done: semaphore.Acquire(ctx, w) returns ctx.Err() then; stop there and report it",
				Hint:  4,
			})
		}
	})
}

// Task 3: job0 and job1 fail at the same moment; then the caller's deadline
// passes while job3 waits for room, and job2, which ignores its context,
// succeeds. Every error is kept: both failures, appended by two goroutines
// at once (so under -race an unguarded list is reported on every run), and
// the deadline, which only the loop that stopped admitting jobs can report.
func TestRunWeighted_DeadlineWhileWaiting(t *testing.T) {
	katatest.Bubble(t, 5, func(t *testing.T) {
		db := newDB(t).gated(4)
		errAudit := errors.New("db: audit table locked")
		db.fail[0], db.fail[1] = errDB, errAudit
		db.deaf[2] = true
		ctx, cancel := context.WithTimeout(testContext(t), 50*time.Millisecond)
		defer cancel()
		out := startRunWeighted(ctx, 3, jobsFor(db, 1, 1, 1, 3))
		synctest.Wait()                         // job0, job1, job2 run; job3 (3) waits for the whole capacity
		db.open(0, 1)                           // job0 and job1 fail together; job3 still waits for job2's unit
		katatest.Advance(50 * time.Millisecond) // the deadline passes
		db.open(2)                              // job2 succeeds
		s := db.snap()
		o, ok := returned(out)
		switch {
		case len(s.started) != 3:
			t.Fatal(katatest.Failure{
				Want:  "job0, job1 and job2 only: job3 waited for room when the deadline passed",
				Got:   fmt.Sprintf("jobs started: %v", s.started),
				Means: "a job waiting for room started after the context was done: stop admitting jobs when Acquire fails",
				Hint:  4,
			})
		case !ok:
			t.Fatal(katatest.Failure{
				Want:  "RunWeighted returns once job2, the last running job, has returned",
				Got:   "RunWeighted had not returned",
				Means: "RunWeighted must stop waiting for room when the context is done, and return once its jobs have",
				Hint:  4,
			})
		case !errors.Is(o.err, errDB) || !errors.Is(o.err, errAudit):
			t.Fatal(katatest.Failure{
				Want:  fmt.Sprintf("an error for which errors.Is finds %q (job0) and %q (job1): they failed at the same moment", errDB, errAudit),
				Got:   fmt.Sprint(o.err),
				Means: "errors were lost: two jobs appended to the error list at once. Guard the list with a mutex",
				Hint:  5,
			})
		case !errors.Is(o.err, context.DeadlineExceeded):
			t.Error(katatest.Failure{
				Want: "an error that also includes context.DeadlineExceeded: job3 never started because the deadline passed",
				Got:  fmt.Sprint(o.err),
				Means: "the context error was swallowed: the jobs that ran report their own errors, and job2 ignored its " +
					"context, so only the loop knows that job3 never ran. Add Acquire's error to the list, whatever else failed",
				Hint: 4,
			})
		}
	})
}

// Task 3: a context already done starts nothing.
func TestRunWeighted_AlreadyCancelled(t *testing.T) {
	katatest.Bubble(t, 4, func(t *testing.T) {
		db := newDB(t)
		ctx, cancel := context.WithCancel(testContext(t))
		cancel()
		o := await(t, "RunWeighted", startRunWeighted(ctx, 4, jobsFor(db, 1, 1)), 4)
		s := db.snap()
		if len(s.started) != 0 || !errors.Is(o.err, context.Canceled) {
			t.Error(katatest.Failure{
				Want:  "no job, and an error for which errors.Is(err, context.Canceled) holds",
				Got:   fmt.Sprintf("%v, jobs started: %v", o.err, s.started),
				Means: "jobs started with a context already cancelled",
				Hint:  4,
			})
		}
	})
}

// Task 3: no jobs, nothing to wait for.
func TestRunWeighted_NoJobs(t *testing.T) {
	katatest.Bubble(t, 4, func(t *testing.T) {
		o := await(t, "RunWeighted", startRunWeighted(testContext(t), 4, nil), 4)
		if o.err != nil || o.took != 0 {
			t.Error(katatest.Failure{Want: "nil at once", Got: fmt.Sprintf("%v after %v", o.err, o.took), Means: "no jobs is not an error", Hint: 4})
		}
	})
}
