// Mistake: All treats context.Canceled as success.
//
// In Node an AbortError is often swallowed on purpose ("the user left, no
// need to log it"). Here the caller's cancel stops every call, the group
// returns context.Canceled, and All turns it into success with a slice of
// empty results. A deadline still shows as an error, which is why a test
// with a timeout alone does not see it.
//
// Replaces: all.go
// Kind: test failed
// Expect: the caller's cancel was swallowed

package parallelcalls

import (
	"context"
	"errors"

	"golang.org/x/sync/errgroup"
)

func All(ctx context.Context, calls []Call) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	g, ctx := errgroup.WithContext(ctx)
	results := make([]string, len(calls))
	for i, call := range calls {
		g.Go(func() error {
			r, err := Try(ctx, i, call)
			results[i] = r
			return err
		})
	}
	if err := g.Wait(); err != nil && !errors.Is(err, context.Canceled) { // an abort is not a failure
		return nil, err
	}
	return results, nil
}
