// Mistake: the load runs under the context of the caller who started it.
//
// The flight's function uses the first caller's ctx, with the load's
// timeout added. When that caller gives up (its client hung up, its request
// timed out), the load is cancelled, and every caller waiting for the same
// load fails with the first caller's context.Canceled: one impatient client
// fails them all. With callers that never cancel it works.
//
// Replaces: flight.go
// Kind: test failed
// Expect: the first caller's cancel failed every waiter

package cachestampede

import "context"

func (c *Cache) fetch(ctx context.Context, key string) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	results := c.flights.DoChan(key, func() (any, error) {
		loadCtx, cancel := context.WithTimeout(ctx, c.timeout)
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
