// Mistake: the siblings' context is cancelled only when All returns.
//
// The calls get a context of their own, with a deferred cancel, and a
// plain errgroup.Group waits for them. But nothing cancels that context at
// the first error: the group's Wait waits for every sibling to finish its
// work, for a result nobody will use, and only then does the defer run.
//
// Replaces: all.go
// Kind: test failed
// Expect: the siblings were not cancelled

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
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var g errgroup.Group
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
