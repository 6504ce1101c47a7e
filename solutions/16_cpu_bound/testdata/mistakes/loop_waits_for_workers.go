// Mistake: the loop starts the workers, then waits for all of them before it answers.
//
// The work is parallel and the total is right, but the loop sits in
// wg.Wait() until the last chunk is done: a request for progress hangs
// exactly as long as the computation, the "blocked main thread" again,
// with more threads.
//
// Replaces: report.go
// Kind: test failed
// Expect: the loop stopped answering until the work ends

package cpubound

import (
	"runtime"
	"sync"
)

// Report adds up score(x) on workers goroutines, then answers.
func Report(xs []uint64, chunkSize, workers int, score Score, queries <-chan Query) uint64 {
	chunkSize = max(chunkSize, 1)
	if workers < 1 {
		workers = runtime.GOMAXPROCS(0)
	}
	n := len(xs)
	chunks := (n + chunkSize - 1) / chunkSize
	workers = min(workers, chunks)
	partial := make([]uint64, chunks)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for c := w; c < chunks; c += workers {
				lo, hi := c*chunkSize, min((c+1)*chunkSize, n)
				for _, x := range xs[lo:hi] {
					partial[c] += score(x)
				}
			}
		})
	}
	wg.Wait()
	var sum uint64
	for _, s := range partial {
		sum += s
	}
	return sum
}
