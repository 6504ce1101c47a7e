// Mistake: every miss loads: no singleflight.
//
// Each caller that misses goes to the source itself. With one caller at a
// time the cache works, and the hit tests pass; 100 callers that miss at
// the same instant make 100 loads of the same key, the stampede the cache
// was meant to prevent.
//
// Replaces: flight.go
// Kind: test failed
// Expect: a cache stampede

package cachestampede

import "context"

func (c *Cache) fetch(ctx context.Context, key string) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	loadCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.timeout)
	defer cancel()
	v, err := c.load(loadCtx, key)
	if err != nil {
		return "", err
	}
	c.store(key, v)
	return v, nil
}
