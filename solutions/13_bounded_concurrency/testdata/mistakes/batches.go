// Mistake: the calls run in batches of the limit, each batch waiting for its slowest call.
//
// Chunking is the first fix people reach for ("split the array and
// Promise.all each chunk"). It is bounded, but a slow call holds its whole
// batch back while the other slots sit idle.
//
// Replaces: limit.go
// Kind: test failed
// Expect: waiting for a whole batch

package boundedconcurrency

import (
	"context"

	"golang.org/x/sync/errgroup"
)

func ForEach(ctx context.Context, n, limit int, query Query) error {
	if limit < 1 {
		return ErrLimit
	}
	for start := 0; start < n; start += limit {
		g, gctx := errgroup.WithContext(ctx)
		for i := start; i < min(start+limit, n); i++ {
			g.Go(func() error {
				if err := gctx.Err(); err != nil {
					return err
				}
				return query(gctx, i)
			})
		}
		if err := g.Wait(); err != nil {
			return err
		}
	}
	return ctx.Err()
}
