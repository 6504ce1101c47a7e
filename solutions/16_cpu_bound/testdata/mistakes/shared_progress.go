// Mistake: the workers add their chunks into a Progress they share with the loop, without a lock.
//
// The loop still answers at once, so it looks right. But a worker writes
// p.Done and p.Sum while another worker, or the loop answering a query,
// reads or writes them: a data race. A chunk can be lost, and a query can
// see Done from one chunk and Sum from another.
//
// Replaces: report.go
// Kind: data race
// Expect: WARNING: DATA RACE

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
	p := Progress{Total: n}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for c := w; c < chunks; c += workers {
				lo, hi := c*chunkSize, min((c+1)*chunkSize, n)
				var s uint64
				for _, x := range xs[lo:hi] {
					s += score(x)
				}
				p.Done += hi - lo
				p.Sum += s
			}
		})
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	for {
		select {
		case <-done:
			return p.Sum
		case q := <-queries:
			q <- p
		}
	}
}
