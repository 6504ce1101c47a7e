// Mistake: the retry reuses the version it read the first time.
//
// The loop is bounded and the write is conditional, but the read is outside
// the loop. After a conflict the stored version has moved on, so the same
// old version can never match again: every retry fails, and the call gives
// up with ErrConflict although the other writer finished long ago.
//
// Replaces: optimistic.go
// Kind: test failed
// Expect: without reading again

package lostupdate

// IncrementOptimistic adds one to the counter key the optimistic way and
// returns the value it wrote.
func IncrementOptimistic(s Store, key string) (int, error) {
	n, version := s.Get(key)
	for range MaxAttempts {
		if s.CompareAndSet(key, version, n+1) {
			return n + 1, nil
		}
	}
	return 0, ErrConflict
}
