// Mistake: a collector goroutine stores the results, and All does not wait for it.
//
// The fetch goroutines send (index, result) to a collector that writes
// results; All waits for the senders, closes the channel and returns. The
// last result received may not be stored yet when All returns, and the
// caller's read races with the collector's write.
//
// Replaces: goroutines.go
// Kind: data race
// Expect: WARNING: DATA RACE

package goroutines

import "sync"

func All(fetches []Fetch) []string {
	results := make([]string, len(fetches))
	ch := make(chan result)
	go func() {
		for r := range ch {
			results[r.i] = r.s
		}
	}()
	var wg sync.WaitGroup
	for i, fetch := range fetches {
		wg.Go(func() { ch <- result{i, fetch()} })
	}
	wg.Wait()
	close(ch)
	return results
}

type result struct {
	i int
	s string
}
