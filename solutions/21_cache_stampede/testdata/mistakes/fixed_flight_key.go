// Mistake: every flight has the same key.
//
// DoChan is called with a constant key, so a miss for price:ETH joins the
// load of price:BTC, and gets its value. With one key in play, as in most
// quick tests, it looks right.
//
// Replaces: flight.go
// Kind: test failed
// Expect: flights must be keyed by the cache key

package cachestampede

import "context"

func (c *Cache) fetch(ctx context.Context, key string) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	results := c.flights.DoChan("load", func() (any, error) {
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
