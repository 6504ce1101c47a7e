// Mistake: each worker appends its partial sum to one shared slice, without a lock.
//
// The partial sums are right and each is written once, at the end, so it
// seems safe: results.push(partial), as in JavaScript. But append reads
// and writes the slice's length and may move its array, and two workers
// that finish together race on both.
//
// Replaces: sum.go
// Kind: data race
// Expect: WARNING: DATA RACE

package cpubound

import (
	"runtime"
	"sync"
)

// Sum adds up score(x) for every x of xs, one goroutine per chunk.
func Sum(xs []uint64, workers int, score Score) uint64 {
	if workers < 1 {
		workers = runtime.GOMAXPROCS(0)
	}
	var partials []uint64
	var wg sync.WaitGroup
	for _, r := range Chunks(len(xs), workers) {
		wg.Go(func() {
			var s uint64
			for _, x := range xs[r.Lo:r.Hi] {
				s += score(x)
			}
			partials = append(partials, s)
		})
	}
	wg.Wait()
	var total uint64
	for _, s := range partials {
		total += s
	}
	return total
}
