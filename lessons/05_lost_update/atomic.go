package lostupdate

// IncrementAtomic adds one to the counter key and returns the new value.
// The store does the increment in one step, so no lock is needed in this
// process and nothing can come between the read and the write: it is the
// UPDATE counters SET n = n + 1 of a database. It makes exactly one store
// call per increment.
//
// It is safe to call from many goroutines at once: n concurrent calls add
// exactly n, and each returns a different value.
func IncrementAtomic(s Store, key string) int {
	// TODO: let the store do the read, the add and the write in one call,
	// and return the value that call reports.
	n, _ := s.Get(key)
	n++
	s.Put(key, n)
	return n
}
