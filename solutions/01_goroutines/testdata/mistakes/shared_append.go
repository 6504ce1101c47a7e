// Mistake: results are appended to a shared slice, under a lock.
//
// The lock makes the appends safe, but the results come out in the order
// the fetches finished, not the order they were given in.
//
// Replaces: goroutines.go
// Kind: test failed
// Expect: results out of order

package goroutines

import "sync"

// A Fetch is one independent call that a page needs.
type Fetch func() string

// All runs every fetch and returns their results in order.
func All(fetches []Fetch) []string {
	results := []string{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, fetch := range fetches {
		wg.Go(func() {
			r := fetch()
			mu.Lock()
			results = append(results, r)
			mu.Unlock()
		})
	}
	wg.Wait()
	return results
}
