package cachestampede

import (
	"context"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"
)

// A Cache keeps the values a Loader returns for a while, so that most
// requests for a key are answered from memory instead of the slow source.
// Create one with New; a Cache is safe for use by many goroutines at once.
type Cache struct {
	load    Loader
	ttl     time.Duration
	timeout time.Duration

	mu      sync.Mutex       // guards entries; never held while loading
	entries map[string]entry // the values loaded, fresh or stale

	flights singleflight.Group // the loads in progress, one per key (flight.go)
}

// An entry is a value the Loader returned, and the instant it goes stale.
type entry struct {
	value   string
	expires time.Time
}

// New returns an empty Cache in front of load. A value stays fresh for ttl
// after its load returned; a ttl of 0 or less keeps nothing. Each load may
// take at most loadTimeout (see Get).
func New(load Loader, ttl, loadTimeout time.Duration) *Cache {
	return &Cache{load: load, ttl: ttl, timeout: loadTimeout, entries: make(map[string]entry)}
}

// Get returns the value of key.
//
// If the cache holds a fresh value for key, Get returns it at once and
// loads nothing, whatever ctx is. A value loaded at instant t is fresh
// until t+ttl, that instant excluded: at exactly t+ttl it is stale, and
// a hit does not make it fresh for longer. A stale value is never returned.
//
// Otherwise Get loads key, as fetch (flight.go) says: many concurrent misses
// for one key make one load. A failed load is not cached: its error goes to
// the callers who waited for that load, and the next Get loads again.
//
// The cache's lock is never held while loading: while one key loads, hits
// for other keys return at once and misses for other keys load at the same
// time.
func (c *Cache) Get(ctx context.Context, key string) (string, error) {
	if v, ok := c.lookup(key); ok {
		return v, nil
	}
	return c.fetch(ctx, key)
}

// lookup returns key's value and true if the cache holds a fresh one, and
// "", false otherwise. It holds c.mu only for the look.
func (c *Cache) lookup(key string) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok || !time.Now().Before(e.expires) {
		return "", false
	}
	return e.value, true
}

// store records value as key's, fresh for ttl from now: the instant its
// load returned. It holds c.mu only for the write.
func (c *Cache) store(key, value string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries[key] = entry{value: value, expires: time.Now().Add(c.ttl)}
}
