// Mistake: wg.Add is called inside the goroutine it counts.
//
// The goroutine counts itself only once it runs. If the loop finishes and
// Wait runs first, Wait sees a count of zero and returns before any fetch
// has finished. It usually works, which is what makes it dangerous.
//
// Replaces: goroutines.go
// Kind: data race
// Expect: wg.Add inside the goroutine

package goroutines

import "sync"

// A Fetch is one independent call that a page needs.
type Fetch func() string

// All runs every fetch and returns their results in order.
func All(fetches []Fetch) []string {
	results := make([]string, len(fetches))
	var wg sync.WaitGroup
	for i, fetch := range fetches {
		go func() {
			wg.Add(1)
			defer wg.Done()
			results[i] = fetch()
		}()
	}
	wg.Wait()
	return results
}
