// Mistake: a shared accumulator without synchronization: every worker adds into one total.
//
// It looks like the sequential loop, only faster. But total += s is a
// read, an add and a write, and two workers do it at the same moment:
// one of the two additions is lost. Usually the numbers are only a little
// off, which is worse than a crash. -race reports it on the first run.
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
	var total uint64
	var wg sync.WaitGroup
	for _, r := range Chunks(len(xs), workers) {
		wg.Go(func() {
			for _, x := range xs[r.Lo:r.Hi] {
				total += score(x)
			}
		})
	}
	wg.Wait()
	return total
}
