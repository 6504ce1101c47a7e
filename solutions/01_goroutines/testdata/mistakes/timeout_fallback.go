// Mistake: All gives up after 5 seconds and returns what it has.
//
// A "safety" timeout: All waits for the WaitGroup or for time.After(5s),
// whichever comes first. Every fetch a test of a page makes is far shorter,
// so it looks right; a fetch slower than 5s loses its result, and its
// goroutine outlives All. All's contract has no time limit.
//
// Replaces: goroutines.go
// Kind: test failed
// Expect: a give-up time, however long, drops the results of slower fetches

package goroutines

import (
	"sync"
	"time"
)

func All(fetches []Fetch) []string {
	results := make([]string, len(fetches))
	var wg sync.WaitGroup
	for i, fetch := range fetches {
		wg.Go(func() { results[i] = fetch() })
	}
	done := make(chan struct{})
	go func() {
		wg.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
	}
	return results
}
