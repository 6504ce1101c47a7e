package cachestampede

import "context"

// fetch loads key's value for Get, which found no fresh value, and stores it.
//
// Concurrent fetches of one key share one load, through c.flights: the
// first starts it, the others wait for it, and all of them get its value or
// its error. A fetch that comes after the load returned starts a new one.
//
// The load does not run under the context of the caller who happened to
// start it. It runs under a context that keeps ctx's values but not its
// cancellation or its deadline (context.WithoutCancel), with a deadline of
// its own, c.timeout after the load started, and is cancelled as soon as
// the load returns. So a caller whose ctx is done
// before the load returns gets "" and ctx.Err() at that instant, and the
// other callers go on waiting for the same load. The load's value is stored
// when the load returns, even if every caller has gone by then; its error
// is never stored.
//
// If ctx is already done, fetch returns "" and ctx.Err() and starts no load.
func (c *Cache) fetch(ctx context.Context, key string) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
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
