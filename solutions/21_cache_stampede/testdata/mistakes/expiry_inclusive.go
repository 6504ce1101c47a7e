// Mistake: a value is still fresh at the instant it expires.
//
// lookup asks whether now is after the expiry, so at exactly t+ttl the
// value is served once more. Off by one instant, the kind of boundary that
// real clocks hide and fake time shows; with a ttl of 0 it keeps values.
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
	if !ok || time.Now().After(e.expires) {
		return "", false
	}
	return e.value, true
}
