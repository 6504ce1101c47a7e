// Package goroutines is lesson 01: start independent pieces of work at the
// same time, wait for all of them, and collect their results by index.
package goroutines

// A Fetch is one independent call that a page needs, such as a request to
// the profile service or the orders service. It returns the data it got.
// Fetches do not depend on each other, so they may run at the same time.
type Fetch func() string

// All runs every fetch in a goroutine of its own, so that all of them run at
// the same time, and returns their results in the order of fetches: result i
// is what fetches[i] returned, whichever fetch finished first.
//
// All returns only after every fetch has returned, so it takes as long as
// the slowest fetch, not the sum of them all. It starts no goroutine that
// outlives it. All(nil) returns an empty slice.
func All(fetches []Fetch) []string {
	results := make([]string, len(fetches))
	// TODO: start one goroutine per fetch, store each result at its own
	// index, and wait until every goroutine has finished before returning.
	return results
}
