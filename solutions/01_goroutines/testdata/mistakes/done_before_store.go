// Mistake: the goroutine calls wg.Done before it stores its result.
//
// s := fetch(); wg.Done(); results[i] = s. Wait returns once the last Done
// has run, which can be before the last store: the caller reads a result
// that is still being written. The goroutine nearly always stores first, so
// only the race detector sees it every time (nothing the test controls runs
// between the Done and the store).
//
// Replaces: goroutines.go
// Kind: data race
// Expect: WARNING: DATA RACE

package goroutines

import "sync"

func All(fetches []Fetch) []string {
	results := make([]string, len(fetches))
	var wg sync.WaitGroup
	for i, fetch := range fetches {
		wg.Add(1)
		go func() {
			s := fetch()
			wg.Done()
			results[i] = s
		}()
	}
	wg.Wait()
	return results
}
