// Mistake: the load runs under context.Background().
//
// Detaching the load from the caller is right, but Background drops the
// caller's values with its cancellation: the request ID, the trace, the
// credentials a Loader may need. context.WithoutCancel keeps the values and
// drops only the cancellation.
//
// Replaces: flight.go
// Kind: test failed
// Expect: drops the caller's values

package cachestampede

import "context"

func (c *Cache) fetch(ctx context.Context, key string) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	results := c.flights.DoChan(key, func() (any, error) {
		loadCtx, cancel := context.WithTimeout(context.Background(), c.timeout)
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
