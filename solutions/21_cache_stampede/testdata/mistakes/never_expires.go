// Mistake: lookup never looks at the expiry.
//
// The entry is stamped with its expiry, and nothing reads it: once loaded, a
// key is served from memory for as long as the process runs. Tests that look
// within one ttl pass; a price loaded on Monday is still served on Friday.
//
// Replaces: cache.go
// Kind: test failed
// Expect: a stale entry was served

package cachestampede

func (c *Cache) lookup(key string) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	return e.value, ok
}
