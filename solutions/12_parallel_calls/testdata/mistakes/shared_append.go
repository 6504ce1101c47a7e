// Mistake: the goroutines append their results to one slice, unlocked.
//
// append reads the slice header, may grow the array, and writes the header
// back; two goroutines doing that at once is a data race, and a result can
// be lost. The results are also in finishing order. In Node.js one thread
// runs every callback, so results.push never races; in Go the goroutines
// run in parallel.
//
// Replaces: all.go
// Kind: data race
// Expect: WARNING: DATA RACE

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
	results := []string{}
	for i, call := range calls {
		g.Go(func() error {
			r, err := Try(ctx, i, call)
			if err == nil {
				results = append(results, r)
			}
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return results, nil
}
