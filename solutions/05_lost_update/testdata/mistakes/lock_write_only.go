// Mistake: the lock covers the write only.
//
// The Put is under the lock, so the writes take turns, but the Get is not:
// two increments can both read 10 before either writes, and then both write
// 11, one after the other. The lock makes the code look safe and changes
// nothing about the lost update.
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

	mu sync.Mutex // protects the write
}

// Increment adds one to the counter key and returns the value it wrote.
func (c *LockedCounter) Increment(key string) int {
	n, _ := c.Store.Get(key)
	n++
	c.mu.Lock()
	c.Store.Put(key, n)
	c.mu.Unlock()
	return n
}
