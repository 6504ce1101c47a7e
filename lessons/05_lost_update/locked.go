package lostupdate

// A LockedCounter increments counters in Store the pessimistic way: it
// takes a lock, reads the counter, writes the counter plus one, and only
// then lets the next increment in. It is the Go cousin of
// SELECT ... FOR UPDATE: whoever holds the lock may read and write, and
// everyone else waits.
//
// The lock lives in this process, so it protects only against goroutines
// that increment through the same LockedCounter. Set Store before the first
// call and do not change it afterwards; apart from that the zero value is
// ready to use. A LockedCounter must not be copied after first use.
type LockedCounter struct {
	Store Store

	// TODO: add the lock that every Increment holds.
}

// Increment adds one to the counter key and returns the value it wrote.
// It is safe to call from many goroutines at once: n concurrent calls add
// exactly n, and each returns a different value.
func (c *LockedCounter) Increment(key string) int {
	// TODO: hold a lock from before the read until after the write.
	n, _ := c.Store.Get(key)
	n++
	c.Store.Put(key, n)
	return n
}
