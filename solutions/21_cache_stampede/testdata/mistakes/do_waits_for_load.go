// Mistake: fetch waits with Do, not DoChan.
//
// Group.Do blocks until the load returns, so a caller whose context is done
// cannot leave: the load no longer fails it, but it waits the whole second
// for a value it no longer wants. DoChan gives a channel that a select can
// wait on beside ctx.Done().
//
// Replaces: flight.go
// Kind: test failed
// Expect: wait for the load's result or ctx.Done()

package cachestampede

import "context"

func (c *Cache) fetch(ctx context.Context, key string) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	v, err, _ := c.flights.Do(key, func() (any, error) {
		loadCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.timeout)
		defer cancel()
		v, err := c.load(loadCtx, key)
		if err != nil {
			return "", err
		}
		c.store(key, v)
		return v, nil
	})
	return v.(string), err
}
