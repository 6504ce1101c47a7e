// Mistake: fetch does not check ctx before it starts the flight.
//
// A caller whose context is already done starts a load anyway; the select
// then sees ctx.Done() and returns at once, so the caller gets the right
// error, but the source is called for a request that had gone before it
// arrived.
//
// Replaces: flight.go
// Kind: test failed
// Expect: check ctx.Err() before starting the flight

package cachestampede

import "context"

func (c *Cache) fetch(ctx context.Context, key string) (string, error) {
	results := c.flights.DoChan(key, func() (any, error) {
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
