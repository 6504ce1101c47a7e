package workerpool

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
	"github.com/gokatas/concurrency/tools/evidence"
)

func TestMain(m *testing.M) { katatest.Main(m) }

// This file holds what every test of the lesson shares: a bench of fake
// jobs that records how many run at once, a reader of the Results channel,
// and a way to call Submit and Shutdown in goroutines of their own and wait
// for them in fake time.

// patience is how long, in fake time, the tests' contexts last. Code that
// waits for something that never comes returns only when its context ends,
// after this long, and the tests say so.
const patience = time.Hour

// A bench makes the test's jobs and records what they did. A gated job runs
// until the test opens its gate; a sleeping one runs for its latency.
type bench struct {
	mu         sync.Mutex
	running    int   // jobs running now
	maxRunning int   // the most that ran at once
	started    []int // the jobs that started, in order
	gates      map[int]chan struct{}
	opened     map[int]bool
}

func newBench(t *testing.T) *bench {
	b := &bench{gates: map[int]chan struct{}{}, opened: map[int]bool{}}
	t.Cleanup(b.openAll) // whatever happened, let every job end
	return b
}

// value is what job id returns when it succeeds.
func value(id int) string { return fmt.Sprintf("thumb-%d.png", id) }

func (b *bench) begin(id int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.started = append(b.started, id)
	b.running++
	b.maxRunning = max(b.maxRunning, b.running)
}

func (b *bench) end() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.running--
}

// gated returns job id, which runs until the test opens its gate and then
// returns value(id).
func (b *bench) gated(id int) Job {
	gate := make(chan struct{})
	b.mu.Lock()
	b.gates[id] = gate
	b.mu.Unlock()
	return Job{ID: id, Run: func() (string, error) {
		b.begin(id)
		defer b.end()
		<-gate
		return value(id), nil
	}}
}

// sleeping returns job id, which runs for d and then returns value(id), or
// err if err is not nil.
func (b *bench) sleeping(id int, d time.Duration, err error) Job {
	return Job{ID: id, Run: func() (string, error) {
		b.begin(id)
		defer b.end()
		time.Sleep(d)
		if err != nil {
			return "", err
		}
		return value(id), nil
	}}
}

// panicking returns job id, which runs for d and then panics with v.
func (b *bench) panicking(id int, d time.Duration, v any) Job {
	return Job{ID: id, Run: func() (string, error) {
		b.begin(id)
		defer b.end()
		time.Sleep(d)
		panic(v)
	}}
}

// open lets gated job id return, and waits until the pool has done
// whatever that lets it do.
func (b *bench) open(id int) {
	b.mu.Lock()
	if !b.opened[id] {
		b.opened[id] = true
		close(b.gates[id])
	}
	b.mu.Unlock()
	synctest.Wait()
}

// openAll opens every gate.
func (b *bench) openAll() {
	b.mu.Lock()
	defer b.mu.Unlock()
	for id, gate := range b.gates {
		if !b.opened[id] {
			b.opened[id] = true
			close(gate)
		}
	}
}

// A snapshot is what the bench saw up to now.
type snapshot struct {
	running, maxRunning int
	started             []int
}

func (b *bench) snap() snapshot {
	b.mu.Lock()
	defer b.mu.Unlock()
	return snapshot{running: b.running, maxRunning: b.maxRunning, started: slices.Clone(b.started)}
}

// A reader receives from a pool's Results channel in a goroutine of its
// own until the channel is closed or the test ends. After each result it
// takes delay before it is ready for the next.
type reader struct {
	start time.Time
	stop  chan struct{}
	shut  chan struct{} // closed when the Results channel was closed
	mu    sync.Mutex
	got   []Result
}

func read(t *testing.T, p *Pool, delay time.Duration) *reader {
	r := &reader{start: time.Now(), stop: make(chan struct{}), shut: make(chan struct{})}
	var once sync.Once
	t.Cleanup(func() { once.Do(func() { close(r.stop) }) })
	results := p.Results()
	go func() {
		for {
			select {
			case res, ok := <-results:
				if !ok {
					close(r.shut)
					return
				}
				r.mu.Lock()
				r.got = append(r.got, res)
				r.mu.Unlock()
				time.Sleep(delay)
			case <-r.stop:
				return
			}
		}
	}()
	return r
}

// results returns the results received so far and whether the channel was
// closed.
func (r *reader) results() ([]Result, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	select {
	case <-r.shut:
		return slices.Clone(r.got), true
	default:
		return slices.Clone(r.got), false
	}
}

// An outcome is what a call of Submit or Shutdown returned, when, and the
// value it panicked with, if it did.
type outcome struct {
	err      error
	took     time.Duration
	panicked any
}

// inBackground calls f in a goroutine of its own and returns a channel that
// receives its outcome. A panic in f is recovered and kept in the outcome,
// so that the test can say what it means.
func inBackground(f func() error) <-chan outcome {
	out := make(chan outcome, 1)
	start := time.Now()
	go func() {
		var o outcome
		defer func() {
			o.panicked = recover()
			o.took = time.Since(start)
			out <- o
		}()
		o.err = f()
	}()
	return out
}

// call calls f and waits for its outcome; see inBackground.
func call(f func() error) outcome {
	var o outcome
	start := time.Now()
	func() {
		defer func() { o.panicked = recover() }()
		o.err = f()
	}()
	o.took = time.Since(start)
	return o
}

// await waits for the outcome, longer than any context of the tests lasts,
// and ends the test if it never comes.
func await(t *testing.T, name string, out <-chan outcome, hint int) outcome {
	t.Helper()
	select {
	case o := <-out:
		return o
	case <-time.After(2 * patience):
		t.Fatal(evidence.Errorf(evidence.Deadlock, t.Name(), "%s", katatest.Failure{
			Want:  name + " returns",
			Got:   fmt.Sprintf("it had not returned %v (of fake time) later, although its context ended after %v", 2*patience, patience),
			Means: "it waits for something that never comes, and does not give up when its context is done",
			Hint:  hint,
		}))
	}
	return outcome{}
}

// returned reports whether the outcome is there, without waiting.
func returned(out <-chan outcome) (outcome, bool) {
	select {
	case o := <-out:
		return o, true
	default:
		return outcome{}, false
	}
}

// testContext is the context the tests give the code: it ends after
// patience, so that code waiting for something that never comes returns.
func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), patience)
	t.Cleanup(cancel)
	return ctx
}

// A fixture is a pool, the bench of its jobs and the reader of its results.
// When the test ends, every gate opens and the pool is shut down, so that a
// test that failed early leaves nothing running.
type fixture struct {
	p *Pool
	b *bench
	r *reader
}

func setup(t *testing.T, workers, queue int) *fixture {
	return setupSlow(t, workers, queue, 0)
}

// setupSlow is setup with a reader that takes delay for each result.
func setupSlow(t *testing.T, workers, queue int, delay time.Duration) *fixture {
	f := &fixture{p: New(workers, queue), b: newBench(t)}
	f.r = read(t, f.p, delay)
	// The workers start now. An Add inside the goroutine it counts is
	// found by reading the source (TestPool_WorkersCountedBeforeTheyStart),
	// so that every other test sees the same pool on every run.
	synctest.Wait()
	t.Cleanup(func() {
		f.b.openAll()
		ctx, cancel := context.WithTimeout(context.Background(), patience)
		defer cancel()
		out := inBackground(func() error { return f.p.Shutdown(ctx) })
		select {
		case <-out:
		case <-time.After(2 * patience): // a Shutdown that hangs is a leak
		}
		select { // the pool may still finish after a Shutdown that returned early
		case <-f.r.shut:
		case <-time.After(patience):
		}
	})
	return f
}

// submit calls Submit and turns a panic into a failure of the test.
func (f *fixture) submit(t *testing.T, ctx context.Context, job Job, hint int) error {
	t.Helper()
	o := call(func() error { return f.p.Submit(ctx, job) })
	if o.panicked != nil {
		t.Fatal(katatest.Failure{
			Want:  fmt.Sprintf("Submit of job %d returns", job.ID),
			Got:   fmt.Sprintf("it panicked: %v", o.panicked),
			Means: "Submit must never panic",
			Hint:  hint,
		})
	}
	return o.err
}

// submitAll submits the jobs one after another and fails the test if a
// Submit does not return nil at once.
func (f *fixture) submitAll(t *testing.T, ctx context.Context, hint int, jobs ...Job) {
	t.Helper()
	for _, job := range jobs {
		out := inBackground(func() error { return f.p.Submit(ctx, job) })
		synctest.Wait()
		o, ok := returned(out)
		switch {
		case !ok:
			t.Fatal(katatest.Failure{
				Want:  fmt.Sprintf("Submit of job %d returns nil at once: the pool has room for it", job.ID),
				Got:   "it waits",
				Means: "the workers do not take jobs from the queue, or the queue is smaller than New was told",
				Hint:  hint,
			})
		case o.panicked != nil || o.err != nil:
			t.Fatal(katatest.Failure{
				Want: fmt.Sprintf("Submit of job %d returns nil: the pool is running and has room", job.ID),
				Got:  fmt.Sprintf("error %v, panic %v", o.err, o.panicked),
				Hint: hint,
			})
		}
	}
}

// shutdown calls Shutdown with a context of patience and checks that it
// returns nil and that the Results channel is then closed. It returns the
// results received.
func (f *fixture) shutdown(t *testing.T, hint int) []Result {
	t.Helper()
	ctx := testContext(t)
	o := await(t, "Shutdown", inBackground(func() error { return f.p.Shutdown(ctx) }), hint)
	f.checkShutdown(t, o, hint)
	return f.checkClosed(t, hint)
}

// checkShutdown fails the test if Shutdown did not return nil.
func (f *fixture) checkShutdown(t *testing.T, o outcome, hint int) {
	t.Helper()
	switch {
	case o.panicked != nil:
		t.Fatal(katatest.Failure{
			Want:  "Shutdown returns nil",
			Got:   fmt.Sprintf("it panicked: %v", o.panicked),
			Means: "Shutdown must never panic",
			Hint:  hint,
		})
	case errors.Is(o.err, context.DeadlineExceeded):
		got, _ := f.r.results()
		t.Fatal(katatest.Failure{
			Want: "Shutdown returns nil once the jobs are done",
			Got: fmt.Sprintf("it returned %v after %v, with %s received; the jobs running now: %v",
				o.err, o.took, katatest.Count(len(got), "result"), f.b.snap().running),
			Means: "the pool never finished: a job was lost, a worker stopped, or nothing tells Shutdown that the workers are done",
			Hint:  hint,
		})
	case o.err != nil:
		t.Fatal(katatest.Failure{Want: "Shutdown returns nil", Got: fmt.Sprint(o.err), Hint: hint})
	}
}

// checkClosed fails the test if the Results channel is not closed once
// Shutdown has returned nil, and returns the results received.
func (f *fixture) checkClosed(t *testing.T, hint int) []Result {
	t.Helper()
	select {
	case <-f.r.shut:
	case <-time.After(patience):
		got, _ := f.r.results()
		t.Fatal(katatest.Failure{
			Want:  "the Results channel is closed once Shutdown has returned nil",
			Got:   fmt.Sprintf("it was still open an hour later, after %s", katatest.Count(len(got), "result")),
			Means: "the results channel was never closed: a reader ranging over Results waits forever",
			Hint:  hint,
		})
	}
	got, _ := f.r.results()
	return got
}

// checkResults fails the test unless got holds exactly one result for each
// of the ids, each with value(id) and no error.
func checkResults(t *testing.T, got []Result, ids []int, hint int) {
	t.Helper()
	seen := map[int]int{}
	for _, r := range got {
		seen[r.ID]++
		if r.Err != nil || r.Value != value(r.ID) {
			t.Fatal(katatest.Failure{
				Want:  fmt.Sprintf("the result of job %d is %q with no error", r.ID, value(r.ID)),
				Got:   fmt.Sprintf("%q, %v", r.Value, r.Err),
				Means: "a result must carry what its own job's Run returned",
				Hint:  hint,
			})
		}
	}
	var missing, extra []int
	for _, id := range ids {
		if seen[id] == 0 {
			missing = append(missing, id)
		}
		if seen[id] > 1 {
			extra = append(extra, id)
		}
		delete(seen, id)
	}
	for id := range seen {
		extra = append(extra, id)
	}
	sort.Ints(extra)
	switch {
	case len(missing) > 0:
		t.Fatal(katatest.Failure{
			Want: fmt.Sprintf("one result for each of the %s submitted", katatest.Count(len(ids), "job")),
			Got: fmt.Sprintf("%s received; no result for job %v%s", katatest.Count(len(got), "result"),
				missing[0], more(len(missing))),
			Means: "jobs lost at shutdown: a job that Submit accepted must run and send its result before Results is closed",
			Hint:  hint,
		})
	case len(extra) > 0:
		t.Fatal(katatest.Failure{
			Want:  fmt.Sprintf("one result for each of the %s submitted, and no other", katatest.Count(len(ids), "job")),
			Got:   fmt.Sprintf("job %d has a result it should not have, or more than one", extra[0]),
			Means: "a job ran twice, or a job whose Submit returned an error ran anyway",
			Hint:  hint,
		})
	}
}

func more(n int) string {
	if n <= 1 {
		return ""
	}
	return fmt.Sprintf(" and %d more", n-1)
}

// ids returns first, first+1, ..., first+n-1.
func ids(first, n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = first + i
	}
	return out
}

// goroutines returns how many goroutines of the test's bubble exist now,
// other than the test's own: the pool's and the test's helpers.
func goroutines() int {
	return strings.Count("\n"+katatest.BubbleGoroutines(), "\ngoroutine ")
}
