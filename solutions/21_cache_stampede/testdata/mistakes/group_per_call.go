// Mistake: a new singleflight.Group for every fetch.
//
// The Group is declared inside fetch, so each caller has a Group of its
// own, with no flight in it: every caller starts its own load. singleflight
// shares a load only among callers of the same Group.
//
// Replaces: flight.go
// Kind: test failed
// Expect: a cache stampede

package cachestampede

import (
	"context"

	"golang.org/x/sync/singleflight"
)

func (c *Cache) fetch(ctx context.Context, key string) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	var flights singleflight.Group
	results := flights.DoChan(key, func() (any, error) {
		loadCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.timeout)
		defer cancel()
		v, err := c.load(loadCtx, key)
		if err != nil {
			return "", err
		}
		c.store(key, v)
		return v, nil
	})
	select {
	case r := <-results:
		return r.Val.(string), r.Err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}
