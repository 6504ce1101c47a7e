// Mistake: All limits the calls in flight to a few hundred.
//
// g.SetLimit(256) looks like prudence, and with the three calls of a page
// nobody notices. But the calls wait for the network, they do not compute:
// with 2,000 calls, All makes them in eight rounds and takes eight times
// as long. Bounding a fan-out is lesson 13's subject, where the limit is
// the task; here it is a hidden cap.
//
// Replaces: all.go
// Kind: test failed
// Expect: a limit on the calls in flight

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
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(256)
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
