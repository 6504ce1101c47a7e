// Mistake: All returns before the goroutines finish.
//
// Every fetch is started in a goroutine, but nothing waits for them: All
// returns the empty results slice at once, and the goroutines write into it
// later, while the caller is already reading it.
//
// Replaces: goroutines.go
// Kind: data race
// Expect: returned before every fetch finished

package goroutines

// A Fetch is one independent call that a page needs.
type Fetch func() string

// All runs every fetch and returns their results in order.
func All(fetches []Fetch) []string {
	results := make([]string, len(fetches))
	for i, fetch := range fetches {
		go func() {
			results[i] = fetch()
		}()
	}
	return results
}
