package lostupdate

// IncrementOptimistic adds one to the counter key the optimistic way and
// returns the value it wrote. It takes no lock: it reads the counter and its
// version, and writes the counter plus one only if the version is still the
// one it read. If another change came in between, nothing is written, and it
// reads again and tries again.
//
// It tries at most MaxAttempts times. If every attempt loses, it returns 0
// and ErrConflict, and the counter is unchanged by this call. It never
// writes unconditionally, so it never overwrites a change it has not seen.
//
// It is safe to call from many goroutines at once. Every call that returns
// a nil error added exactly one.
func IncrementOptimistic(s Store, key string) (int, error) {
	for range MaxAttempts {
		n, version := s.Get(key)
		if s.CompareAndSet(key, version, n+1) {
			return n + 1, nil
		}
		// Someone changed the counter since we read it: read it again.
	}
	return 0, ErrConflict
}
