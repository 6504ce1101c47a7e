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
	// TODO: write with CompareAndSet and the version you read. When it
	// reports false, read again and retry, at most MaxAttempts attempts in
	// all, then give up with ErrConflict.
	n, _ := s.Get(key)
	n++
	s.Put(key, n)
	return n, nil
}
