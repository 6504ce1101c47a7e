// Mistake: results are collected from a channel in the order they arrive.
//
// A channel is a safe way to hand results over, but it delivers them in
// the order the calls finished, not the order they were asked for: the
// page shows the orders where the user should be. With calls of equal
// latency the order often happens to be right.
//
// Replaces: all.go
// Kind: test failed
// Expect: results out of order

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
	answers := make(chan string, len(calls))
	for i, call := range calls {
		g.Go(func() error {
			r, err := Try(ctx, i, call)
			if err == nil {
				answers <- r
			}
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	close(answers)
	results := []string{}
	for r := range answers {
		results = append(results, r)
	}
	return results, nil
}
