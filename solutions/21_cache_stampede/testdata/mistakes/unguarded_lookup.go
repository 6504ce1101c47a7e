// Mistake: lookup reads the map without the lock, since "reads are safe".
//
// In Node.js a Map read cannot meet a write: one thread runs all the code.
// In Go, a Get on one goroutine reads the map while a load's flight stores
// into it on another, and an unsynchronized read beside a write is a data
// race (and the map may be caught mid-change). Only the writes take c.mu,
// which orders them with each other and with nothing else.
//
// Replaces: cache.go
// Kind: data race
// Expect: WARNING: DATA RACE

package cachestampede

import "time"

func (c *Cache) lookup(key string) (string, bool) {
	e, ok := c.entries[key]
	if !ok || !time.Now().Before(e.expires) {
		return "", false
	}
	return e.value, true
}
