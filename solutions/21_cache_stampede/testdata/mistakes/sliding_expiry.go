// Mistake: every hit makes the value fresh for another ttl.
//
// lookup pushes the expiry forward on each hit (a sliding expiry, as a
// session store does). For a cache of a source that changes, a key read
// more often than once a ttl is never loaded again: a stale entry served
// forever, to exactly the callers who use it most.
//
// Replaces: cache.go
// Kind: test failed
// Expect: a stale entry was served

package cachestampede

import "time"

func (c *Cache) lookup(key string) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok || !time.Now().Before(e.expires) {
		return "", false
	}
	e.expires = time.Now().Add(c.ttl)
	c.entries[key] = e
	return e.value, true
}
