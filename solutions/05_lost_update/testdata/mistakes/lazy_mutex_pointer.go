// Mistake: the mutex is a pointer made lazily on first use, without synchronisation.
//
// if c.mu == nil { c.mu = &sync.Mutex{} }: two first callers both see nil,
// each makes its own mutex, and both run the read-modify-write at once. It
// happens before any store call, so no hook lines the callers up;
// TestLockedCounter_NoLazyLock names it from the source.
//
// Replaces: locked.go
// Kind: data race
// Expect: two first callers made their own mutex

package lostupdate

import "sync"

type LockedCounter struct {
	Store Store
	mu    *sync.Mutex
}

func (c *LockedCounter) Increment(key string) int {
	if c.mu == nil {
		c.mu = &sync.Mutex{}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	n, _ := c.Store.Get(key)
	n++
	c.Store.Put(key, n)
	return n
}
