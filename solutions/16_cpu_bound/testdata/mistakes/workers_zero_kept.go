// Mistake: a workers below 1 is passed on as it is.
//
// Chunks takes a k below 1 as 1, so Sum(xs, 0, score) runs on one
// goroutine: correct, and on a one-core laptop as fast as it gets. On a
// server with 16 cores, 15 of them sit idle.
//
// Replaces: sum.go
// Kind: test failed
// Expect: a workers below 1 means runtime.GOMAXPROCS(0)

package cpubound

import "sync"

// Sum adds up score(x) for every x of xs, one goroutine per chunk.
func Sum(xs []uint64, workers int, score Score) uint64 {
	chunks := Chunks(len(xs), workers)
	partial := make([]uint64, len(chunks))
	var wg sync.WaitGroup
	for c, r := range chunks {
		wg.Go(func() {
			var s uint64
			for _, x := range xs[r.Lo:r.Hi] {
				s += score(x)
			}
			partial[c] = s
		})
	}
	wg.Wait()
	var total uint64
	for _, s := range partial {
		total += s
	}
	return total
}
