// Mistake: each worker loops from Lo to Hi inclusive, for (i = lo; i <= hi; i++).
//
// The chunks are right, but the loop reads Hi as the last index instead of
// one past it: the first element of every next chunk is scored twice,
// once by each neighbour. The check against len(xs) keeps the last chunk
// from panicking, and hides the mistake.
//
// Replaces: sum.go
// Kind: test failed
// Expect: doubled elements

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
	chunks := Chunks(len(xs), workers)
	partial := make([]uint64, len(chunks))
	var wg sync.WaitGroup
	for c, r := range chunks {
		wg.Go(func() {
			var s uint64
			for i := r.Lo; i <= r.Hi && i < len(xs); i++ {
				s += score(xs[i])
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
