// Mistake: All returns the moment the caller's context is done.
//
// Promise.race with the abort signal: a select on g.Wait's result and
// ctx.Done() returns ctx.Err() at once when the caller gives up. Cancelling
// only asks the calls to stop: they are still hanging up when All returns,
// and the goroutine waiting for the group outlives All. On the other paths
// All waits properly, which is why it passes every test without a cancel.
//
// Replaces: all.go
// Kind: goroutine leak
// Expect: still running when All returned

package parallelcalls

import (
	"context"

	"golang.org/x/sync/errgroup"
)

func All(ctx context.Context, calls []Call) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	g, gctx := errgroup.WithContext(ctx)
	results := make([]string, len(calls))
	for i, call := range calls {
		g.Go(func() error {
			r, err := Try(gctx, i, call)
			results[i] = r
			return err
		})
	}
	done := make(chan error, 1)
	go func() { done <- g.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			return nil, err
		}
		return results, nil
	case <-ctx.Done(): // like Promise.race with the abort signal
		return nil, ctx.Err()
	}
}
