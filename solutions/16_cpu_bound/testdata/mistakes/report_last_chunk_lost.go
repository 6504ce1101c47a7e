// Mistake: the number of chunks is len(xs)/chunkSize, rounded down.
//
// With 12 elements in chunks of 3 it is right. With 10, the last, short
// chunk is never scored: the loop counts 3 chunks back and stops, and the
// report is short by element 9.
//
// Replaces: report.go
// Kind: test failed
// Expect: lost elements

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
	chunks := n / chunkSize
	workers = min(workers, chunks)
	type result struct {
		n   int
		sum uint64
	}
	results := make(chan result)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for c := w; c < chunks; c += workers {
				lo, hi := c*chunkSize, (c+1)*chunkSize
				var s uint64
				for _, x := range xs[lo:hi] {
					s += score(x)
				}
				results <- result{hi - lo, s}
			}
		})
	}
	p := Progress{Total: n}
	for received := 0; received < chunks; {
		select {
		case r := <-results:
			p.Done += r.n
			p.Sum += r.sum
			received++
		case q := <-queries:
			q <- p
		}
	}
	wg.Wait()
	return p.Sum
}
