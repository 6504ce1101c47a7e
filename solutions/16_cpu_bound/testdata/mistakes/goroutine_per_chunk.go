// Mistake: a goroutine per chunk, all started at once.
//
// The loop answers and the total is right. But with a chunk size of 1,000
// and a million elements, that is a thousand goroutines competing for a
// few processors, where workers goroutines would do: all of them finish
// late, together, instead of steadily.
//
// Replaces: report.go
// Kind: test failed
// Expect: one goroutine per chunk

package cpubound

import "sync"

// Report adds up score(x) chunk by chunk, answering queries meanwhile.
func Report(xs []uint64, chunkSize, workers int, score Score, queries <-chan Query) uint64 {
	chunkSize = max(chunkSize, 1)
	n := len(xs)
	type result struct {
		n   int
		sum uint64
	}
	results := make(chan result)
	var wg sync.WaitGroup
	for lo := 0; lo < n; lo += chunkSize {
		hi := min(lo+chunkSize, n)
		wg.Go(func() {
			var s uint64
			for _, x := range xs[lo:hi] {
				s += score(x)
			}
			results <- result{hi - lo, s}
		})
	}
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
	wg.Wait()
	return p.Sum
}
