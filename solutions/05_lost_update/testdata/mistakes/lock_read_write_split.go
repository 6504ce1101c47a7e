// Mistake: a read lock around the read, a write lock around the write.
//
// RWMutex looks made for this: reads share, writes exclude. But a read
// lock lets any number of increments read at once, so two of them read 10,
// and then each takes the write lock in turn to write 11. It is the lock
// around the write only, with an extra lock that protects nothing.
//
// Replaces: locked.go
// Kind: test failed
// Expect: lock around the write only
// Expect: both read before either wrote

package lostupdate

import "sync"

// A LockedCounter increments counters in Store while holding a lock.
type LockedCounter struct {
	Store Store

	mu sync.RWMutex // read lock for Get, write lock for Put
}

// Increment adds one to the counter key and returns the value it wrote.
func (c *LockedCounter) Increment(key string) int {
	c.mu.RLock()
	n, _ := c.Store.Get(key)
	c.mu.RUnlock()

	c.mu.Lock()
	defer c.mu.Unlock()
	c.Store.Put(key, n+1)
	return n + 1
}
