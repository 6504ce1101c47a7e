// Mistake: All starts the calls although the caller has already gone.
//
// The request was cancelled before All was called, but All makes every call
// anyway. Each call may notice its context at once and fail, but the
// requests have left already: load on the services for a caller who will
// never read the answer.
//
// Replaces: all.go
// Kind: test failed
// Expect: All started work for a caller that had already given up

package parallelcalls

import (
	"context"

	"golang.org/x/sync/errgroup"
)

// All makes every call at the same time and returns their results in order,
// or the first error.
func All(ctx context.Context, calls []Call) ([]string, error) {
	g, ctx := errgroup.WithContext(ctx)
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
