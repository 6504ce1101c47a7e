// Mistake: after a successful CompareAndSet, the new value is read back
// with Get instead of taken from the write.
//
// The counter is right: every write was conditional. But between the
// CompareAndSet and the Get another increment may write too, so two callers
// can both be told 12. The test holds the winner after its write until the
// loser has written, so the read-back always sees the other's value.
//
// Replaces: optimistic.go
// Kind: test failed
// Expect: the value was read back after CompareAndSet

package lostupdate

// IncrementOptimistic adds one to the counter key the optimistic way and
// returns the value it wrote (here: a value it reads back afterwards).
func IncrementOptimistic(s Store, key string) (int, error) {
	for range MaxAttempts {
		n, version := s.Get(key)
		if s.CompareAndSet(key, version, n+1) {
			v, _ := s.Get(key)
			return v, nil
		}
	}
	return 0, ErrConflict
}
