package cpubound

import (
	"fmt"
	"runtime"
	"slices"
	"testing"
	"testing/synctest"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
)

// chunkStarts is where the chunks of n elements for k workers begin, as
// the contract of Chunks puts them: the first n%k chunks are one longer.
func chunkStarts(n, k int) []int {
	k = min(max(k, 1), n)
	var starts []int
	lo := 0
	for c := range k {
		starts = append(starts, lo)
		lo += n / k
		if c < n%k {
			lo++
		}
	}
	return starts
}

// Task 2: every element scored once and the partial sums merged, for sizes
// that divide evenly and sizes that do not.
func TestSum_EveryElementOnce(t *testing.T) {
	for _, c := range []struct{ n, workers int }{
		{1, 4}, {3, 4}, {8, 4}, {10, 4}, {10, 3}, {11, 2}, {5, 1}, {1000, 7}, {20_003, 8}, {procs() + 5, 0},
	} {
		t.Run(fmt.Sprintf("n_%d_workers_%d", c.n, c.workers), func(t *testing.T) {
			katatest.Bubble(t, 4, func(t *testing.T) {
				xs := elements(c.n)
				f := newScore(t, c.n)
				got := Sum(xs, c.workers, f.score)
				what := fmt.Sprintf("Sum(xs, %d, score) with %s", c.workers, katatest.Count(c.n, "element"))
				f.checkOnce(t, what, 4)
				if w := want(xs); got != w {
					t.Fatal(katatest.Failure{
						Want:  fmt.Sprintf("%s returns %d, the sum of every score", what, w),
						Got:   fmt.Sprint(got),
						Means: "every element was scored once, but the partial sums were not all merged: a lost partial sum",
						Hint:  4,
					})
				}
			})
		})
	}
}

// Task 2: no elements, no work.
func TestSum_NoElements(t *testing.T) {
	katatest.Bubble(t, 4, func(t *testing.T) {
		for _, xs := range [][]uint64{nil, {}} {
			f := newScore(t, 0)
			if got := Sum(xs, 4, f.score); got != 0 || f.calls() != 0 || f.stray.Load() != 0 {
				t.Fatal(katatest.Failure{
					Want:  "Sum of no elements returns 0 and never calls score",
					Got:   fmt.Sprintf("%d", got),
					Means: "with nothing to split there is nothing to score",
					Hint:  4,
				})
			}
		}
	})
}

// Task 2: the chunks are scored at once, one goroutine each: exactly
// min(workers, n) scores under way while every score waits.
func TestSum_ChunksAtOnce(t *testing.T) {
	for _, c := range []struct{ n, workers, procs int }{{1000, 4, 0}, {1000, 0, 0}, {1000, -1, 3}, {1000, 1, 3}, {2, 3, 0}, {9, 2, 0}} {
		t.Run(fmt.Sprintf("n_%d_workers_%d", c.n, c.workers), func(t *testing.T) {
			if c.procs > 0 { // the same whatever -cpu the tests run at
				defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(c.procs))
			}
			katatest.Bubble(t, 3, func(t *testing.T) {
				k := c.workers
				if k < 1 {
					k = procs()
				}
				k = min(k, c.n)
				xs := elements(c.n)
				f := newScore(t, c.n).gated()
				before := goroutineCount()
				out := inBackground(func() uint64 { return Sum(xs, c.workers, f.score) })
				synctest.Wait()
				extra := goroutineCount() - before
				started := f.startedNow()
				call := fmt.Sprintf("Sum(xs, %d, score) with %d elements", c.workers, c.n)
				if c.workers < 1 {
					call += fmt.Sprintf(" (GOMAXPROCS is %d)", procs())
				}
				switch {
				case c.workers < 1 && len(started) != k:
					t.Fatal(katatest.Failure{
						Want:  fmt.Sprintf("%s scores %d chunks at once, one goroutine each", call, k),
						Got:   fmt.Sprintf("%s under way: elements %v", katatest.Count(len(started), "score"), firstFew(started)),
						Means: "a workers below 1 means runtime.GOMAXPROCS(0): one goroutine for each processor Go may use",
						Hint:  3,
					})
				case len(started) == c.n && c.n > k:
					t.Fatal(katatest.Failure{
						Want:  fmt.Sprintf("%s scores %d chunks at once, one goroutine each", call, k),
						Got:   fmt.Sprintf("all %d elements were being scored at once", c.n),
						Means: "one goroutine per element: each goroutine costs more to start than its one element costs to score. Start one per chunk",
						Hint:  3,
					})
				case len(started) == 1 && k > 1:
					t.Fatal(katatest.Failure{
						Want:  fmt.Sprintf("%s scores %d chunks at once, one goroutine each", call, k),
						Got:   "one element at a time",
						Means: "one goroutine does all the work, as on Node's main thread: the other processors sit idle. Start a goroutine per chunk",
						Hint:  3,
					})
				case len(started) != k:
					t.Fatal(katatest.Failure{
						Want:  fmt.Sprintf("%s scores %d chunks at once, one goroutine each", call, k),
						Got:   fmt.Sprintf("%s under way: elements %v", katatest.Count(len(started), "score"), firstFew(started)),
						Means: "the number of goroutines is not the number of chunks: workers below 1 means runtime.GOMAXPROCS(0), and never more chunks than elements",
						Hint:  3,
					})
				case !slices.Equal(started, chunkStarts(c.n, k)):
					t.Fatal(katatest.Failure{
						Want:  fmt.Sprintf("the scores under way are of the first element of each chunk of Chunks(%d, %d): %v", c.n, k, chunkStarts(c.n, k)),
						Got:   fmt.Sprintf("elements %v", firstFew(started)),
						Means: "the work is not split as Chunks splits it: split with Chunks(len(xs), workers), and score each chunk from its Lo",
						Hint:  3,
					})
				case extra > k+1:
					t.Fatal(katatest.Failure{
						Want:  fmt.Sprintf("at most %d goroutines: the %d that score and the one that called Sum", k+1, k),
						Got:   fmt.Sprintf("%d goroutines while %d scores are under way", extra, len(started)),
						Means: "one goroutine per element: they wait in line for a slot, but each one was started",
						Hint:  3,
					})
				}
				f.openAll()
				synctest.Wait()
				o, ok := returned(out)
				if !ok {
					t.Fatal(katatest.Failure{
						Want:  "Sum returns once every score has returned",
						Got:   "it had not returned",
						Means: "Sum waits for something that never comes",
						Hint:  4,
					})
				}
				if w := want(xs); o.sum != w {
					t.Fatalf("%v", katatest.Failure{Want: fmt.Sprint(w), Got: fmt.Sprint(o.sum), Means: "the partial sums were not all merged: a lost partial sum", Hint: 4})
				}
			})
		})
	}
}

// Task 2: a goroutine per chunk, never per element, however the goroutines
// are bounded.
func TestSum_GoroutinePerChunk(t *testing.T) {
	katatest.Bubble(t, 3, func(t *testing.T) {
		const n, workers = 1000, 4
		xs := elements(n)
		f := newScore(t, n).withIDs()
		Sum(xs, workers, f.score)
		f.checkOnce(t, "Sum(xs, 4, score)", 4)
		by := f.goroutines()
		if len(by) != workers {
			means := "each chunk must be scored in a goroutine of its own"
			if len(by) == 1 {
				means = "one goroutine does all the work, as on Node's main thread: the other processors sit idle. Start a goroutine per chunk"
			}
			if len(by) > workers {
				means = "one goroutine per element (or per few): starting a goroutine costs more than scoring one element. " +
					"A limit on how many run at once does not help; start one per chunk"
			}
			t.Fatal(katatest.Failure{
				Want:  fmt.Sprintf("the %d elements scored by %d goroutines, one per chunk", n, workers),
				Got:   fmt.Sprintf("%s scored them", katatest.Count(len(by), "goroutine")),
				Means: means,
				Hint:  3,
			})
		}
		starts := chunkStarts(n, workers)
		for _, idx := range by {
			slices.Sort(idx)
			if !slices.Contains(starts, idx[0]) || len(idx) != n/workers {
				t.Fatal(katatest.Failure{
					Want:  "each goroutine scores one whole chunk of Chunks(1000, 4): 250 elements in a row",
					Got:   fmt.Sprintf("a goroutine scored %s, from index %d", katatest.Count(len(idx), "element"), idx[0]),
					Means: "the goroutines do not score the chunks of Chunks, one each",
					Hint:  3,
				})
			}
		}
	})
}

// Task 2: the workers share no total. Every worker is held at its first
// element until all are there, then they all go on at once, so that a
// total they share is written by all of them in the same moment, on every
// run: -race reports it as a data race.
func TestSum_NoSharedTotal(t *testing.T) {
	katatest.Bubble(t, 4, func(t *testing.T) {
		const n, workers = 4000, 4
		xs := elements(n)
		starts := chunkStarts(n, workers)
		f := newScore(t, n).gatedAt(append(starts, n-1)...)
		out := inBackground(func() uint64 { return Sum(xs, workers, f.score) })
		synctest.Wait()
		f.openAll()
		synctest.Wait()
		o, ok := returned(out)
		if !ok {
			t.Fatal(katatest.Failure{Want: "Sum returns once every score has returned", Got: "it had not returned", Means: "Sum waits for something that never comes", Hint: 4})
		}
		f.checkOnce(t, "Sum(xs, 4, score)", 4)
		if w := want(xs); o.sum != w {
			t.Fatal(katatest.Failure{
				Want:  fmt.Sprintf("Sum returns %d", w),
				Got:   fmt.Sprint(o.sum),
				Means: "a shared accumulator without synchronization: the workers added into one total at the same moment and lost updates. Give each worker a partial sum of its own",
				Hint:  4,
			})
		}
	})
}

// firstFew shows at most the first eight indexes.
func firstFew(idx []int) string {
	if len(idx) <= 8 {
		return fmt.Sprint(idx)
	}
	return fmt.Sprintf("%v ... (%d in all)", idx[:8], len(idx))
}
