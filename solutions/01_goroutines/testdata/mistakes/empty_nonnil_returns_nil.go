// Mistake: All of an empty, non-nil slice returns nil.
//
// An early return for "no fetches" returns nil, and All(nil) was handled
// elsewhere, so only []Fetch{} shows it. A caller that encodes the result
// as JSON gets null instead of [].
//
// Replaces: goroutines.go
// Kind: test failed
// Expect: All([]Fetch{}) returns an empty slice, not nil

package goroutines

func All(fetches []Fetch) []string {
	if fetches != nil && len(fetches) == 0 {
		return nil
	}
	results := make([]string, len(fetches))
	ch := make(chan result)
	for i, fetch := range fetches {
		go func() { ch <- result{i, fetch()} }()
	}
	for range fetches {
		r := <-ch
		results[r.i] = r.s
	}
	return results
}

type result struct {
	i int
	s string
}
