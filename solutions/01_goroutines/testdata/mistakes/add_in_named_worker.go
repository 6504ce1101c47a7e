// Mistake: a named worker function counts itself with wg.Add.
//
// go run(&wg, results, i, fetch), and run starts with wg.Add(1): the same
// mistake as an Add inside a go func literal, one call away, where go vet
// does not look. Wait can see a zero counter and return before any fetch.
//
// Replaces: goroutines.go
// Kind: data race
// Expect: wg.Add inside the goroutine

package goroutines

import "sync"

func All(fetches []Fetch) []string {
	results := make([]string, len(fetches))
	var wg sync.WaitGroup
	for i, fetch := range fetches {
		go run(&wg, results, i, fetch)
	}
	wg.Wait()
	return results
}

func run(wg *sync.WaitGroup, results []string, i int, fetch Fetch) {
	wg.Add(1)
	defer wg.Done()
	results[i] = fetch()
}
