// Mistake: the limit is off by one: limit+1 calls run at once.
//
// The slot count was computed as "limit more after the first", so one
// call too many runs. Tests that only check "bounded" pass; the exact
// count does not.
//
// Replaces: limit.go
// Kind: test failed
// Expect: off by one

package boundedconcurrency

import (
	"context"

	"golang.org/x/sync/errgroup"
)

func ForEach(ctx context.Context, n, limit int, query Query) error {
	if limit < 1 {
		return ErrLimit
	}
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(limit + 1) // g.Go now waits for a free slot before it starts a goroutine
	for i := range n {
		g.Go(func() error {
			// This call may have waited for its slot while another failed
			// or the caller gave up: then it must not start.
			if err := ctx.Err(); err != nil {
				return err
			}
			return query(ctx, i)
		})
		if ctx.Err() != nil {
			break // stop early: start no more goroutines either
		}
	}
	return g.Wait()
}
