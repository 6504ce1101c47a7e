// Mistake: the fetches run one after another.
//
// The loop calls each fetch directly, so each call waits for the one
// before it: the page takes the sum of the latencies, not the slowest one.
// This is the code most people start from.
//
// Replaces: goroutines.go
// Kind: test failed
// Expect: ran one after another

package goroutines

// A Fetch is one independent call that a page needs.
type Fetch func() string

// All runs every fetch and returns their results in order.
func All(fetches []Fetch) []string {
	results := make([]string, len(fetches))
	for i, fetch := range fetches {
		results[i] = fetch()
	}
	return results
}
