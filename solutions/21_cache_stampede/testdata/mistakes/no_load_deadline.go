// Mistake: the load has no deadline of its own.
//
// context.WithoutCancel keeps the caller's values and drops its cancellation
// and its deadline too. Without a WithTimeout on top, a source that hangs
// holds the flight, and every caller who joins it, for as long as it hangs:
// an hour here.
//
// Replaces: flight.go
// Kind: test failed
// Expect: no deadline of its own

package cachestampede

import "context"

func (c *Cache) fetch(ctx context.Context, key string) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	results := c.flights.DoChan(key, func() (any, error) {
		loadCtx := context.WithoutCancel(ctx)
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
