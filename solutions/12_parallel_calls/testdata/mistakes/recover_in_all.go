// Mistake: All defers a recover in its own body, not in the goroutines.
//
// recover stops a panic only in the goroutine that panics, and only from a
// function deferred there. The calls run in the group's goroutines, so
// All's deferred recover never sees their panics: one panicking call ends
// the whole program. errgroup does not recover panics either.
//
// Replaces: all.go
// Kind: panic
// Expect: killed the whole program

package parallelcalls

import (
	"context"
	"fmt"

	"golang.org/x/sync/errgroup"
)

// All makes every call at the same time and returns their results in order,
// or the first error.
func All(ctx context.Context, calls []Call) (results []string, err error) {
	defer func() {
		if v := recover(); v != nil {
			results, err = nil, fmt.Errorf("parallelcalls: panic: %v", v)
		}
	}()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	g, ctx := errgroup.WithContext(ctx)
	results = make([]string, len(calls))
	for i, call := range calls {
		g.Go(func() error {
			r, err := call(ctx)
			results[i] = r
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return results, nil
}
