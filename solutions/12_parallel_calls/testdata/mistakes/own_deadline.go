// Mistake: All gives up after a minute of its own.
//
// context.WithTimeout(ctx, time.Minute) around the group: "a page never
// waits longer". It is the caller's job to say how long it waits, with
// the ctx it passes; All adds a deadline of its own, and a call that was
// still working is cancelled at one minute as if it had failed.
//
// Replaces: all.go
// Kind: test failed
// Expect: a time limit of its own

package parallelcalls

import (
	"context"
	"time"

	"golang.org/x/sync/errgroup"
)

func All(ctx context.Context, calls []Call) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, time.Minute) // a page never waits longer
	defer cancel()
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
