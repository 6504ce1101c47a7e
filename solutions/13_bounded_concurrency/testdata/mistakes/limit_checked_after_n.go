// Mistake: n = 0 returns nil before the limit is checked.
//
// "Nothing to do" is checked first, so ForEach(ctx, 0, 0, q) says nil and
// the caller's bad limit shows only on the first run with work, at night.
// The contract refuses a limit below 1 whatever n is.
//
// Replaces: limit.go
// Kind: test failed
// Expect: a limit below 1 is refused whatever n is

package boundedconcurrency

import (
	"context"

	"golang.org/x/sync/errgroup"
)

func ForEach(ctx context.Context, n, limit int, query Query) error {
	if n == 0 {
		return nil // nothing to do
	}
	if limit < 1 {
		return ErrLimit
	}
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(limit)
	for i := range n {
		g.Go(func() error {
			if err := ctx.Err(); err != nil {
				return err
			}
			return query(ctx, i)
		})
		if ctx.Err() != nil {
			break
		}
	}
	return g.Wait()
}
