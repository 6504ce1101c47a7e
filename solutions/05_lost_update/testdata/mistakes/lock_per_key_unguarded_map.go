// Mistake: a mutex per key, kept in a map with no lock of its own.
//
// m, ok := c.locks[key]; if !ok { m = new(sync.Mutex); c.locks[key] = m }:
// two first increments of a key race on the map and may get two different
// mutexes, a lost update. TestLockedCounter_NoLazyLock names it from the
// source.
//
// Replaces: locked.go
// Kind: data race
// Expect: two first callers made their own mutex

package lostupdate

import "sync"

type LockedCounter struct {
	Store Store
	locks map[string]*sync.Mutex
}

func (c *LockedCounter) Increment(key string) int {
	if c.locks == nil {
		c.locks = map[string]*sync.Mutex{}
	}
	m, ok := c.locks[key]
	if !ok {
		m = new(sync.Mutex)
		c.locks[key] = m
	}
	m.Lock()
	defer m.Unlock()
	n, _ := c.Store.Get(key)
	n++
	c.Store.Put(key, n)
	return n
}
