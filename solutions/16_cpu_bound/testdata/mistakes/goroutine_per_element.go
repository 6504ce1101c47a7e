// Mistake: one goroutine per element, the way Promise.all(xs.map(score)) reads.
//
// It is correct: the total is atomic, every element is scored once. But
// starting and scheduling a goroutine costs more than scoring one
// element, so it is slower than a plain loop, and a hundred thousand
// elements make a hundred thousand goroutines. The benchmark shows it.
//
// Replaces: sum.go
// Kind: test failed
// Expect: one goroutine per element
// Bench: compare

package cpubound

import (
	"sync"
	"sync/atomic"
)

// Sum adds up score(x) for every x of xs, one goroutine per element.
func Sum(xs []uint64, workers int, score Score) uint64 {
	var total atomic.Uint64
	var wg sync.WaitGroup
	for _, x := range xs {
		wg.Go(func() { total.Add(score(x)) })
	}
	wg.Wait()
	return total.Load()
}
