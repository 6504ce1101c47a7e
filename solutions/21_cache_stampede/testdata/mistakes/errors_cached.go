// Mistake: the load's result is stored whatever it was, error included.
//
// The flight stores the value before looking at the error, so a failed load
// leaves an empty value in the cache, fresh for the whole ttl: every Get
// after it returns "" and no error, and the source is not asked again until
// the entry goes stale. One bad second of the source becomes a minute of
// wrong answers.
//
// Replaces: flight.go
// Kind: test failed
// Expect: a cached error

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
		c.store(key, v)
		return v, err
	})
	select {
	case r := <-results:
		return r.Val.(string), r.Err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}
