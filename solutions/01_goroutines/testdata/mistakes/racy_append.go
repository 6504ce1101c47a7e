// Mistake: goroutines append to a shared slice with no lock.
//
// append reads the slice header, maybe grows the array, and writes the
// header back: two goroutines doing that at once is a data race, and one of
// the results can be lost. The order is the finishing order besides.
//
// Replaces: goroutines.go
// Kind: data race
// Expect: results out of order

package goroutines

import "sync"

// A Fetch is one independent call that a page needs.
type Fetch func() string

// All runs every fetch and returns their results in order.
func All(fetches []Fetch) []string {
	results := []string{}
	var wg sync.WaitGroup
	for _, fetch := range fetches {
		wg.Go(func() {
			results = append(results, fetch())
		})
	}
	wg.Wait()
	return results
}
