// Mistake: the entry's ttl is counted from the start of its load.
//
// The flight notes the time before calling the Loader and stamps the entry
// with it. The value then goes stale a load's latency too early (at 10s
// instead of 11s for a 1s load and a 10s ttl), and a load that takes longer
// than the ttl stores a value that is stale at once.
//
// Replaces: flight.go
// Kind: test failed
// Expect: counted from the start of the load

package cachestampede

import (
	"context"
	"time"
)

func (c *Cache) fetch(ctx context.Context, key string) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	results := c.flights.DoChan(key, func() (any, error) {
		start := time.Now()
		loadCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.timeout)
		defer cancel()
		v, err := c.load(loadCtx, key)
		if err != nil {
			return "", err
		}
		c.mu.Lock()
		c.entries[key] = entry{value: v, expires: start.Add(c.ttl)}
		c.mu.Unlock()
		return v, nil
	})
	select {
	case r := <-results:
		return r.Val.(string), r.Err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}
