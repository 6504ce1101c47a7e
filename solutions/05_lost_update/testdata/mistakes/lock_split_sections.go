// Mistake: one Mutex, two critical sections: the read and the write.
//
// Lock, Get, Unlock; then Lock, Put, Unlock: every store call is under the
// lock, yet another increment can read between the sections. A sync.Mutex
// usually goes back to the goroutine that just unlocked it, so this passed
// most runs before; TestLockedCounter_NoGapBetweenReadAndWrite holds the first
// increment in the store until two others wait for the lock in starvation
// mode, and the gap shows every run.
//
// Replaces: locked.go
// Kind: test failed
// Expect: the lock was let go between the read and the write

package lostupdate

import "sync"

type LockedCounter struct {
	Store Store
	mu    sync.Mutex
}

func (c *LockedCounter) Increment(key string) int {
	c.mu.Lock()
	n, _ := c.Store.Get(key)
	c.mu.Unlock()
	n++
	c.mu.Lock()
	c.Store.Put(key, n)
	c.mu.Unlock()
	return n
}
