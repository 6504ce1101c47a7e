// Mistake: a fixed pool of 4 workers runs the fetches.
//
// Four goroutines take fetch indexes from a channel. With three fetches
// that looks concurrent, but with 200 the fetches wait in line for a free
// worker: 50 rounds instead of one. Pools suit CPU work; fetches wait on
// the network and should all start at once.
//
// Replaces: goroutines.go
// Kind: test failed
// Expect: a bounded pool of workers: All must start every fetch at once

package goroutines

import "sync"

// All uses a fixed pool of 4 workers reading indexes from a channel.
func All(fetches []Fetch) []string {
	results := make([]string, len(fetches))
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for i := range jobs {
				results[i] = fetches[i]()
			}
		})
	}
	for i := range fetches {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	return results
}
