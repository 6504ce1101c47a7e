// Mistake: a semaphore of 256 passes bounds the fetches in flight.
//
// "Do not start an unbounded number of goroutines" is good advice for CPU
// work, so the loop takes a pass from a channel of 256 before each go
// statement. With 3 or 200 fetches nothing ever waits; with 5,000 they run
// in 20 rounds. Fetches wait on the network: every one must start at once.
//
// Replaces: goroutines.go
// Kind: test failed
// Expect: a bounded pool of workers: All must start every fetch at once

package goroutines

import "sync"

func All(fetches []Fetch) []string {
	results := make([]string, len(fetches))
	sem := make(chan struct{}, 256)
	var wg sync.WaitGroup
	for i, fetch := range fetches {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			results[i] = fetch()
		}()
	}
	wg.Wait()
	return results
}
