package workerpool

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
)

// corrupt is what the tests' panicking jobs panic with: an image decoder
// that met a file it cannot read.
const corrupt = "image: corrupt PNG header"

// Task 3: a panic is that job's error, and its worker goes on with the
// next job.
func TestPool_PanicIsJobError(t *testing.T) {
	katatest.Bubble(t, 3, func(t *testing.T) {
		f := setup(t, 1, 2)
		ctx := testContext(t)
		f.submitAll(t, ctx, 3, f.b.panicking(0, 100*time.Millisecond, corrupt),
			f.b.sleeping(1, 100*time.Millisecond, nil))
		var got []Result
		took := katatest.Elapsed(func() { got = f.shutdown(t, 3) })
		var panicked *Result
		var rest []Result
		for i, r := range got {
			if r.ID == 0 {
				panicked = &got[i]
			} else {
				rest = append(rest, r)
			}
		}
		switch {
		case panicked == nil:
			t.Fatal(katatest.Failure{
				Want:  "a result for job 0, which panicked",
				Got:   fmt.Sprintf("%s, none for job 0", katatest.Count(len(got), "result")),
				Means: "the panicking job's result was lost: recover the panic and send it as that job's result",
				Hint:  3,
			})
		case !errors.Is(panicked.Err, ErrPanic) || !strings.Contains(panicked.Err.Error(), corrupt):
			t.Fatal(katatest.Failure{
				Want:  fmt.Sprintf("job 0's Err wraps ErrPanic and shows the panic's value (%q)", corrupt),
				Got:   fmt.Sprint(panicked.Err),
				Means: "turn the recovered value into the job's error: fmt.Errorf(\"%w: ...: %v\", ErrPanic, ..., v)",
				Hint:  3,
			})
		}
		checkResults(t, rest, []int{1}, 3)
		if took != 200*time.Millisecond {
			t.Fatal(katatest.Failure{
				Want:  "job 1 runs after job 0 panicked, on the same worker: Shutdown returns at 200ms",
				Got:   fmt.Sprint(took),
				Means: "the worker must survive the panic and take the next job",
				Hint:  3,
			})
		}
	})
}

// Task 3: after every worker ran a job that panicked, the pool still has
// all its workers.
func TestPool_PanicsDoNotShrinkThePool(t *testing.T) {
	katatest.Bubble(t, 3, func(t *testing.T) {
		const workers = 3
		f := setup(t, workers, 10)
		ctx := testContext(t)
		for i := range workers {
			f.submitAll(t, ctx, 3, f.b.panicking(i, time.Millisecond, fmt.Sprintf("job %d: %s", i, corrupt)))
		}
		katatest.Advance(time.Millisecond) // every worker's job panicked
		for i := workers; i < 2*workers; i++ {
			f.submitAll(t, ctx, 3, f.b.gated(i))
		}
		s := f.b.snap()
		if s.running != workers {
			t.Fatal(katatest.Failure{
				Want:  fmt.Sprintf("%d jobs run: the %d workers took the next jobs after their jobs panicked", workers, workers),
				Got:   fmt.Sprintf("%d running", s.running),
				Means: "one panic kills a worker: a recover around the worker's loop ends the loop too. Recover around each job",
				Hint:  3,
			})
		}
		f.b.openAll()
		got := f.shutdown(t, 3)
		panics := 0
		var rest []Result
		for _, r := range got {
			if r.ID < workers && errors.Is(r.Err, ErrPanic) {
				panics++
			} else {
				rest = append(rest, r)
			}
		}
		if panics != workers {
			t.Fatal(katatest.Failure{
				Want:  fmt.Sprintf("%d results with an Err that wraps ErrPanic", workers),
				Got:   fmt.Sprintf("%d", panics),
				Means: "each panicking job must be reported as that job's error",
				Hint:  3,
			})
		}
		checkResults(t, rest, ids(workers, workers), 3)
	})
}
