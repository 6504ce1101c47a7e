// Mistake: the calls get All's ctx, not the group's.
//
// errgroup.WithContext returns a group and a derived context, and cancels
// only that context at the first error. Here the derived context is thrown
// away and every call gets the caller's ctx, which nobody cancels: the
// siblings run on after the first error, and Wait waits for them.
//
// Replaces: all.go
// Kind: test failed
// Expect: not the context from errgroup.WithContext

package parallelcalls

import (
	"context"

	"golang.org/x/sync/errgroup"
)

// All makes every call at the same time and returns their results in order,
// or the first error.
func All(ctx context.Context, calls []Call) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	g, _ := errgroup.WithContext(ctx)
	results := make([]string, len(calls))
	for i, call := range calls {
		g.Go(func() error {
			r, err := Try(ctx, i, call)
			results[i] = r
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return results, nil
}
