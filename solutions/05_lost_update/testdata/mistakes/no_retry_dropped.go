// Mistake: the result of CompareAndSet is ignored.
//
// The write is conditional, so it never overwrites another change, but when
// it loses, nothing is written and nobody is told: the increment is
// silently dropped and the caller gets a nil error. The counter ends lower
// than the number of successful calls.
//
// Replaces: optimistic.go
// Kind: test failed
// Expect: version check without retry
// Expect: silently dropped

package lostupdate

// IncrementOptimistic adds one to the counter key the optimistic way and
// returns the value it wrote.
func IncrementOptimistic(s Store, key string) (int, error) {
	n, version := s.Get(key)
	s.CompareAndSet(key, version, n+1)
	return n + 1, nil
}
