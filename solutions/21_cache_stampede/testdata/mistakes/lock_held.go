// Mistake: Get holds the cache's lock across the load.
//
// "Lock, check, load, store, unlock" is the simplest way to make a cache
// safe, and it also makes concurrent misses of one key load once. But
// every other Get waits for the mutex while the slow source answers: a hit
// for another key takes a second, and loads of different keys run one
// after another.
//
// Replaces: cache.go
// Kind: test failed
// Expect: the lock is held during the load

package cachestampede

import (
	"context"
	"time"
)

func (c *Cache) Get(ctx context.Context, key string) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if v, ok := c.lookup(key); ok {
		return v, nil
	}
	return c.fetch(ctx, key)
}

// lookup is called with c.mu held.
func (c *Cache) lookup(key string) (string, bool) {
	e, ok := c.entries[key]
	if !ok || !time.Now().Before(e.expires) {
		return "", false
	}
	return e.value, true
}

// store is called while Get holds c.mu.
func (c *Cache) store(key, value string) {
	c.entries[key] = entry{value: value, expires: time.Now().Add(c.ttl)}
}
