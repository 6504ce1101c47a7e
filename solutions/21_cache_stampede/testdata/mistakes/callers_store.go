// Mistake: the callers store the value, not the load.
//
// fetch stores the value once the flight's result reaches it. With callers
// who wait that works, and every waiter stores the same value again. But
// when every caller has given up, nobody receives the result, and a value
// that took a second to load is thrown away: the next Get loads it again.
//
// Replaces: flight.go
// Kind: test failed
// Expect: the load's value was lost

package cachestampede

import "context"

func (c *Cache) fetch(ctx context.Context, key string) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	results := c.flights.DoChan(key, func() (any, error) {
		loadCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.timeout)
		defer cancel()
		v, err := c.load(loadCtx, key)
		return v, err
	})
	select {
	case r := <-results:
		if r.Err != nil {
			return "", r.Err
		}
		c.store(key, r.Val.(string))
		return r.Val.(string), nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}
