package cpubound

import (
	"runtime"
	"sync"
)

// Report returns the sum of score(x) over every element x of xs, as Sum
// does, and keeps answering queries while it works. The goroutine that
// calls Report is the loop: it answers every Query received on queries,
// at once, with the Progress so far, until the work is done.
//
// The elements are scored in chunks of chunkSize elements, in order:
// chunk c holds the indexes [c*chunkSize, (c+1)*chunkSize), and the last
// chunk may be shorter. A chunkSize below 1 is taken as 1. The chunks are
// scored by workers goroutines (a workers below 1 means
// runtime.GOMAXPROCS(0)), all of them at once, each taking chunk after
// chunk: never more than workers goroutines score, and never a goroutine
// per chunk. The loop scores nothing itself, so it can answer a query even
// while every worker is in the middle of a long chunk.
//
// When a worker finishes a chunk, it sends the chunk's partial sum and
// length to the loop, and the loop adds them to its Progress: Done grows by
// the chunk's length and Sum by its partial sum, in one step, so that a
// Progress is always the sum of whole, finished chunks. Total is len(xs).
// The loop alone holds the Progress; the workers share no total.
//
// Report returns once every chunk has been added, and only when every
// goroutine it started has returned. With no elements it returns 0 at
// once and calls score never. Queries sent after Report returned are not
// answered.
func Report(xs []uint64, chunkSize, workers int, score Score, queries <-chan Query) uint64 {
	chunkSize = max(chunkSize, 1)
	if workers < 1 {
		workers = runtime.GOMAXPROCS(0)
	}
	n := len(xs)
	chunks := (n + chunkSize - 1) / chunkSize
	workers = min(workers, chunks)

	// A result is one finished chunk, on its way to the loop.
	type result struct {
		n   int
		sum uint64
	}
	results := make(chan result)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			// Worker w scores chunks w, w+workers, w+2*workers...: no two
			// workers take the same chunk, and they need no lock to agree.
			for c := w; c < chunks; c += workers {
				lo, hi := c*chunkSize, min((c+1)*chunkSize, n)
				var s uint64
				for _, x := range xs[lo:hi] {
					s += score(x)
				}
				results <- result{hi - lo, s}
			}
		})
	}

	// The loop: the only goroutine that touches p.
	p := Progress{Total: n}
	for p.Done < n {
		select {
		case r := <-results:
			p.Done += r.n
			p.Sum += r.sum
		case q := <-queries:
			q <- p
		}
	}
	wg.Wait() // every worker has sent its last result: they are returning
	return p.Sum
}
