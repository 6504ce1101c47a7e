package cpubound

import (
	"fmt"
	"runtime"
	"testing"
	"testing/synctest"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
)

// startReport runs Report in a goroutine of its own, the loop, with a
// channel of queries that the test asks on.
func startReport(xs []uint64, chunkSize, workers int, f *fakeScore) (<-chan outcome, chan Query) {
	queries := make(chan Query)
	return inBackground(func() uint64 { return Report(xs, chunkSize, workers, f.score, queries) }), queries
}

// ask sends the loop a query, if it is listening, waits until everything
// in the bubble is blocked again, and returns the answer, if one came. The
// test calls it when everything is blocked, so a loop that can answer is
// waiting for a query right then.
func ask(queries chan Query) (Progress, bool) {
	reply := make(chan Progress, 1)
	select {
	case queries <- reply:
	default:
		return Progress{}, false // the loop is not waiting for queries
	}
	synctest.Wait()
	select {
	case p := <-reply:
		return p, true
	default:
		return Progress{}, false
	}
}

// mustAnswer asks the loop and fails the test unless it answers with the
// Progress of the first done elements of xs. when says what the workers are
// doing.
func mustAnswer(t *testing.T, queries chan Query, xs []uint64, done int, when string) {
	t.Helper()
	p, ok := ask(queries)
	if !ok {
		t.Fatal(katatest.Failure{
			Want: "the loop answers a query at once, " + when,
			Got:  "no answer: the loop was not waiting for queries",
			Means: "the loop stopped answering until the work ends, as a Node.js server does while its main thread " +
				"computes: the loop scores chunks itself, or waits for the workers. Let the workers score, and make " +
				"the loop a select between their results and the queries",
			Hint: 5,
		})
	}
	w := Progress{Done: done, Total: len(xs), Sum: want(xs[:done])}
	if p != w {
		means := "the Progress must add up the chunks finished so far, and nothing else"
		switch {
		case p.Done > done:
			means = "the Progress counted elements of a chunk that is not finished: the loop must add a chunk when the " +
				"worker sends its whole partial sum, not an element at a time"
		case p.Done < done:
			means = "a finished chunk is missing from the Progress: each worker must send the loop its chunk's result " +
				"when the chunk is done, and the loop must add it at once"
		case p.Total != w.Total:
			means = "Total is len(xs)"
		}
		t.Fatal(katatest.Failure{
			Want:  fmt.Sprintf("%+v, %s", w, when),
			Got:   fmt.Sprintf("%+v", p),
			Means: means,
			Hint:  6,
		})
	}
}

// finish opens every gate and fails the test unless Report then returns
// the sum of every score.
func finish(t *testing.T, f *fakeScore, out <-chan outcome, xs []uint64) outcome {
	t.Helper()
	f.openAll()
	synctest.Wait()
	o, ok := returned(out)
	if !ok {
		t.Fatal(katatest.Failure{
			Want:  "Report returns once every chunk is scored and added",
			Got:   "every score returned, and Report had not",
			Means: "the loop waits for results that never come: count the elements (or chunks) it added, and stop at the last",
			Hint:  6,
		})
	}
	if w := want(xs); o.sum != w {
		t.Fatal(katatest.Failure{Want: fmt.Sprintf("Report returns %d", w), Got: fmt.Sprint(o.sum), Means: "a chunk's partial sum was lost on its way to the loop", Hint: 6})
	}
	return o
}

// Task 3: the loop answers while every worker is in the middle of a chunk,
// and after each chunk.
func TestReport_AnswersWhileScoring(t *testing.T) {
	katatest.Bubble(t, 5, func(t *testing.T) {
		xs := elements(10)
		f := newScore(t, len(xs)).gated()
		out, queries := startReport(xs, 3, 2, f)
		synctest.Wait()
		for range 3 {
			mustAnswer(t, queries, xs, 0, "while both workers are in the middle of their first chunk")
		}
		f.open(0, 3)
		synctest.Wait()
		mustAnswer(t, queries, xs, 3, "after chunk 0 (elements 0 to 2) is finished")
		f.open(3, 6)
		synctest.Wait()
		mustAnswer(t, queries, xs, 6, "after chunks 0 and 1 are finished")
		finish(t, f, out, xs)
	})
}

// Task 3: a Progress counts whole chunks: an element scored in a chunk not
// yet finished is not in it.
func TestReport_WholeChunks(t *testing.T) {
	for _, c := range []struct{ n, size int }{{8, 4}, {3, 0}, {5, 2}} {
		t.Run(fmt.Sprintf("n_%d_chunk_%d", c.n, c.size), func(t *testing.T) {
			katatest.Bubble(t, 6, func(t *testing.T) {
				size := max(c.size, 1)
				xs := elements(c.n)
				f := newScore(t, c.n).gated()
				out, queries := startReport(xs, c.size, 1, f)
				synctest.Wait()
				mustAnswer(t, queries, xs, 0, "before any element is scored")
				if size > 1 {
					f.open(0, 1)
					synctest.Wait()
					mustAnswer(t, queries, xs, 0, fmt.Sprintf("when the first element of chunk 0 (of %d) is scored", size))
				}
				for lo := 0; lo+size < c.n; lo += size {
					f.open(lo, lo+size)
					synctest.Wait()
					mustAnswer(t, queries, xs, lo+size, fmt.Sprintf("after the chunk of elements %d to %d is finished (chunkSize %d)", lo, lo+size-1, c.size))
				}
				finish(t, f, out, xs)
			})
		})
	}
}

// Task 3: workers goroutines score at once, each chunk after chunk, and
// the loop scores nothing.
func TestReport_WorkersAtOnce(t *testing.T) {
	for _, c := range []struct{ n, size, workers, procs int }{{100, 1, 3, 0}, {100, 10, 0, 0}, {100, 10, -1, 3}, {100, 10, 1, 3}, {5, 2, 8, 0}} {
		t.Run(fmt.Sprintf("n_%d_chunk_%d_workers_%d", c.n, c.size, c.workers), func(t *testing.T) {
			if c.procs > 0 { // the same whatever -cpu the tests run at
				defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(c.procs))
			}
			katatest.Bubble(t, 5, func(t *testing.T) {
				k := c.workers
				if k < 1 {
					k = procs()
				}
				chunks := (c.n + c.size - 1) / c.size
				k = min(k, chunks)
				xs := elements(c.n)
				f := newScore(t, c.n).gated().withIDs()
				before := goroutineCount()
				out, queries := startReport(xs, c.size, c.workers, f)
				synctest.Wait()
				extra := goroutineCount() - before
				started := f.startedNow()
				call := fmt.Sprintf("Report(xs, %d, %d, score, queries) with %d elements", c.size, c.workers, c.n)
				if c.workers < 1 {
					call += fmt.Sprintf(" (GOMAXPROCS is %d)", procs())
				}
				switch {
				case c.workers < 1 && len(started) != k:
					t.Fatal(katatest.Failure{
						Want:  fmt.Sprintf("%s: %d workers scoring at once", call, k),
						Got:   fmt.Sprintf("%s under way: elements %v", katatest.Count(len(started), "score"), firstFew(started)),
						Means: "a workers below 1 means runtime.GOMAXPROCS(0): one goroutine for each processor Go may use",
						Hint:  6,
					})
				case len(started) == chunks && chunks > k:
					t.Fatal(katatest.Failure{
						Want:  fmt.Sprintf("%s: %d workers scoring at once", call, k),
						Got:   fmt.Sprintf("all %d chunks were being scored at once", chunks),
						Means: "one goroutine per chunk: they all compete for the same few processors. Start workers goroutines, each taking chunk after chunk",
						Hint:  6,
					})
				case len(started) != k:
					t.Fatal(katatest.Failure{
						Want:  fmt.Sprintf("%s: %d workers scoring at once", call, k),
						Got:   fmt.Sprintf("%s under way: elements %v", katatest.Count(len(started), "score"), firstFew(started)),
						Means: "the number of goroutines that score is not workers: a workers below 1 means runtime.GOMAXPROCS(0), and never more workers than chunks",
						Hint:  6,
					})
				case extra > k+2:
					t.Fatal(katatest.Failure{
						Want:  fmt.Sprintf("at most %d goroutines: %d workers, the loop, and one to spare", k+2, k),
						Got:   fmt.Sprintf("%d goroutines while %d chunks are scored", extra, len(started)),
						Means: "one goroutine per chunk: they wait in line, but each one was started",
						Hint:  6,
					})
				}
				mustAnswer(t, queries, xs, 0, "while every worker is in the middle of a chunk")
				o := finish(t, f, out, xs)
				by := f.goroutines()
				if idx, ok := by[o.g]; ok {
					t.Fatal(katatest.Failure{
						Want:  "the loop (the goroutine that called Report) scores nothing",
						Got:   fmt.Sprintf("it scored %s, from index %d", katatest.Count(len(idx), "element"), idx[0]),
						Means: "the loop stopped answering while it scored: a chunk on the loop is a chunk of time nobody gets an answer",
						Hint:  5,
					})
				}
				if len(by) > k {
					t.Fatal(katatest.Failure{
						Want:  fmt.Sprintf("%s: the chunks scored by %d goroutines", call, k),
						Got:   fmt.Sprintf("%s scored them", katatest.Count(len(by), "goroutine")),
						Means: "one goroutine per chunk: however few run at once, each chunk started a goroutine. Keep workers goroutines, each taking chunk after chunk",
						Hint:  6,
					})
				}
			})
		})
	}
}

// Task 3: every element scored once, with chunks that fit and chunks that do not.
func TestReport_EveryElementOnce(t *testing.T) {
	for _, c := range []struct{ n, size, workers int }{
		{1, 3, 2}, {10, 3, 2}, {9, 3, 2}, {7, 0, 2}, {7, 100, 2}, {1000, 7, 3}, {20_003, 100, 4}, {50, 4, 0},
	} {
		t.Run(fmt.Sprintf("n_%d_chunk_%d_workers_%d", c.n, c.size, c.workers), func(t *testing.T) {
			katatest.Bubble(t, 6, func(t *testing.T) {
				xs := elements(c.n)
				f := newScore(t, c.n)
				out, _ := startReport(xs, c.size, c.workers, f)
				synctest.Wait()
				f.checkOnce(t, fmt.Sprintf("Report(xs, %d, %d, score, queries) with %s", c.size, c.workers, katatest.Count(c.n, "element")), 6)
				finish(t, f, out, xs)
			})
		})
	}
}

// Task 3: no elements: Report returns 0 at once.
func TestReport_NoElements(t *testing.T) {
	katatest.Bubble(t, 6, func(t *testing.T) {
		f := newScore(t, 0)
		out, _ := startReport(nil, 3, 2, f)
		synctest.Wait()
		o, ok := returned(out)
		if !ok || o.sum != 0 || f.calls() != 0 {
			t.Fatal(katatest.Failure{
				Want:  "Report with no elements returns 0 at once and never calls score",
				Got:   fmt.Sprintf("returned: %v, sum %d", ok, o.sum),
				Means: "with no chunks the loop has nothing to wait for: stop when every element is added, and none is as many as all",
				Hint:  6,
			})
		}
	})
}

// Task 3: two workers finish their chunks at the same moment. The loop
// alone adds their results, so the Progress has both; workers that add
// into a Progress they share write it at the same moment, and -race
// reports a data race, on every run.
func TestReport_TwoChunksAtOnce(t *testing.T) {
	katatest.Bubble(t, 6, func(t *testing.T) {
		xs := elements(12)
		f := newScore(t, len(xs)).gated()
		out, queries := startReport(xs, 3, 2, f)
		synctest.Wait()
		f.open(0, 6) // chunks 0 and 1 end together
		synctest.Wait()
		mustAnswer(t, queries, xs, 6, "after chunks 0 and 1 finished at the same moment")
		finish(t, f, out, xs)
	})
}
