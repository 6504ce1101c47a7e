// Mistake: the version is checked, but a conflict is not retried.
//
// The write is conditional, so no update is lost, but the increment that
// loses the race returns ErrConflict at once. Two visitors opening a page
// at the same moment is not an error; the caller asked for an increment
// and got a failure it has to handle, for a conflict one more attempt would
// have resolved.
//
// Replaces: optimistic.go
// Kind: test failed
// Expect: version check without retry

package lostupdate

// IncrementOptimistic adds one to the counter key the optimistic way and
// returns the value it wrote.
func IncrementOptimistic(s Store, key string) (int, error) {
	n, version := s.Get(key)
	if !s.CompareAndSet(key, version, n+1) {
		return 0, ErrConflict
	}
	return n + 1, nil
}
