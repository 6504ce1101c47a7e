// Mistake: every call locks a mutex of its own.
//
// The mutex is a local variable, so each Increment creates a new one and is
// the only goroutine that ever locks it: nobody ever waits, and the read and
// the write of two calls interleave freely. go vet has nothing to say about
// it, because nothing is copied.
//
// Replaces: locked.go
// Kind: test failed
// Expect: lost update
// Expect: no lock covers the read and the write together

package lostupdate

import "sync"

// A LockedCounter increments counters in Store while holding a lock.
type LockedCounter struct {
	Store Store
}

// Increment adds one to the counter key and returns the value it wrote.
func (c *LockedCounter) Increment(key string) int {
	var mu sync.Mutex
	mu.Lock()
	defer mu.Unlock()
	n, _ := c.Store.Get(key)
	n++
	c.Store.Put(key, n)
	return n
}
