package cpubound

import (
	"runtime"
	"sync"
)

// Sum returns the sum of score(x) over every element x of xs (in uint64
// arithmetic, which wraps around on overflow), scoring each element
// exactly once.
//
// The work is split with Chunks(len(xs), workers), and every chunk is
// scored in a goroutine of its own, all of them at once: workers goroutines
// score at most, however many elements there are, never a goroutine per
// element. A workers below 1 means runtime.GOMAXPROCS(0), one goroutine for
// each processor Go may use at once.
//
// Each goroutine adds up its own chunk in a variable of its own; Sum adds
// these partial sums together once every goroutine has finished. The
// goroutines share no total while they work.
//
// With no elements Sum returns 0 and calls score never. Sum returns only
// when every goroutine it started has returned.
func Sum(xs []uint64, workers int, score Score) uint64 {
	if workers < 1 {
		workers = runtime.GOMAXPROCS(0)
	}
	chunks := Chunks(len(xs), workers)
	partial := make([]uint64, len(chunks))
	var wg sync.WaitGroup
	for c, r := range chunks {
		wg.Go(func() {
			var s uint64 // a local: no other goroutine touches it
			for _, x := range xs[r.Lo:r.Hi] {
				s += score(x)
			}
			partial[c] = s // written once, at the end, to this chunk's own slot
		})
	}
	wg.Wait()
	var total uint64
	for _, s := range partial {
		total += s
	}
	return total
}
