// Mistake: one goroutine per element, at most workers of them at once.
//
// Lesson 13's limiter, put where it does not belong: the slots keep the
// goroutines to workers at a time, but each element still pays for a
// goroutine of its own, and for a trip through the semaphore. For work that
// waits on a database that is fine; for work that only computes, the
// overhead is the whole cost.
//
// Replaces: sum.go
// Kind: test failed
// Expect: one goroutine per element

package cpubound

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// Sum adds up score(x) for every x of xs, workers goroutines at a time.
func Sum(xs []uint64, workers int, score Score) uint64 {
	if workers < 1 {
		workers = runtime.GOMAXPROCS(0)
	}
	slots := make(chan struct{}, workers)
	var total atomic.Uint64
	var wg sync.WaitGroup
	for _, x := range xs {
		slots <- struct{}{}
		wg.Go(func() {
			defer func() { <-slots }()
			total.Add(score(x))
		})
	}
	wg.Wait()
	return total.Load()
}
