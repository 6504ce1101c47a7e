// Mistake: the cache keeps the load itself, like a map of promises, and a
// failed one stays.
//
// The Node.js way to stop a stampede is to cache the promise, not the
// value: the first caller stores the pending load, and the others await
// the same one. Written in Go, with a channel closed when the load is done,
// it shares loads and never holds the lock across one. But a rejected
// promise stays in the map like a resolved one, so the error is served to
// every caller for a whole ttl.
//
// Replaces: cache.go
// Kind: test failed
// Expect: a cached error

package cachestampede

import (
	"context"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"
)

type Cache struct {
	load    Loader
	ttl     time.Duration
	timeout time.Duration

	mu       sync.Mutex
	promises map[string]*promise
	entries  map[string]entry   // unused
	flights  singleflight.Group // unused
}

func New(load Loader, ttl, loadTimeout time.Duration) *Cache {
	return &Cache{load: load, ttl: ttl, timeout: loadTimeout, promises: make(map[string]*promise)}
}

func (c *Cache) Get(ctx context.Context, key string) (string, error) {
	c.mu.Lock()
	p, ok := c.promises[key]
	if ok {
		select {
		case <-p.done:
			ok = time.Now().Before(p.expires)
		default: // still loading: wait for it
		}
	}
	if !ok {
		if err := ctx.Err(); err != nil {
			c.mu.Unlock()
			return "", err
		}
		p = &promise{done: make(chan struct{})}
		c.promises[key] = p
		go func() {
			loadCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.timeout)
			defer cancel()
			p.value, p.err = c.load(loadCtx, key)
			p.expires = time.Now().Add(c.ttl)
			close(p.done)
		}()
	}
	c.mu.Unlock()
	select {
	case <-p.done:
		return p.value, p.err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

func (c *Cache) lookup(key string) (string, bool) { return "", false }

func (c *Cache) store(key, value string) {}

// A promise is one load: done is closed when value, err and expires are set.
type promise struct {
	done    chan struct{}
	value   string
	err     error
	expires time.Time
}
