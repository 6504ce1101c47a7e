// Mistake: the workers send the loop a message for every element, not one per chunk.
//
// Progress moves smoothly, and every element is counted once. But a
// channel send per element costs more than scoring the element, the
// loop is flooded, and a Progress counts half-finished chunks, which the
// contract rules out (postMessage per item, in worker_threads terms).
//
// Replaces: report.go
// Kind: test failed
// Expect: counted elements of a chunk that is not finished

package cpubound

import (
	"runtime"
	"sync"
)

// Report adds up score(x) on workers goroutines, answering queries meanwhile.
func Report(xs []uint64, chunkSize, workers int, score Score, queries <-chan Query) uint64 {
	chunkSize = max(chunkSize, 1)
	if workers < 1 {
		workers = runtime.GOMAXPROCS(0)
	}
	n := len(xs)
	chunks := (n + chunkSize - 1) / chunkSize
	workers = min(workers, chunks)
	scores := make(chan uint64)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for c := w; c < chunks; c += workers {
				lo, hi := c*chunkSize, min((c+1)*chunkSize, n)
				for _, x := range xs[lo:hi] {
					scores <- score(x)
				}
			}
		})
	}
	p := Progress{Total: n}
	for p.Done < n {
		select {
		case s := <-scores:
			p.Done++
			p.Sum += s
		case q := <-queries:
			q <- p
		}
	}
	wg.Wait()
	return p.Sum
}
