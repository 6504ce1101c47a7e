// Mistake: when the caller's context is done, All returns its error instead of the first one.
//
// "If the caller gave up, say so" sounds right. But a call failed first,
// and while All waited for a call that ignores its context, the caller's
// deadline passed: All then reports the deadline, and the cause (the
// database was down) is lost.
//
// Replaces: all.go
// Kind: test failed
// Expect: not the first error

package parallelcalls

import (
	"context"

	"golang.org/x/sync/errgroup"
)

func All(ctx context.Context, calls []Call) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	parent := ctx
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
		if perr := parent.Err(); perr != nil {
			return nil, perr // the caller gave up: say so
		}
		return nil, err
	}
	return results, nil
}
