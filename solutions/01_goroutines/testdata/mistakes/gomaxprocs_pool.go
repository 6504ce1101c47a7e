// Mistake: at most GOMAXPROCS fetches run at a time.
//
// A semaphore sized runtime.GOMAXPROCS(0) limits the fetches as if they
// were CPU work. A fetch waits on the network and uses no CPU meanwhile, so
// the limit only makes the page slower: 200 fetches on 4 CPUs take 50
// rounds, and on 1 CPU they run one after another.
//
// Replaces: goroutines.go
// Kind: test failed
// Expect: a bounded pool of workers: All must start every fetch at once

package goroutines

import (
	"runtime"
	"sync"
)

// All limits itself to GOMAXPROCS workers, as if fetches were CPU work.
func All(fetches []Fetch) []string {
	results := make([]string, len(fetches))
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for i, fetch := range fetches {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			results[i] = fetch()
		})
	}
	wg.Wait()
	return results
}
