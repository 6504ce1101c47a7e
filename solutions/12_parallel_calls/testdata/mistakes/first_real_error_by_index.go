// Mistake: the first error is the first by index that is not a context error.
//
// The author saw that the cancelled siblings fail with "context canceled"
// and skipped those, then took the first real error in call order. That is
// right as long as every sibling listens to its context. A call that
// ignores it fails later with an error of its own, and if it comes earlier
// in the list, its late error is reported instead of the one that failed
// first in time.
//
// Replaces: all.go
// Kind: test failed
// Expect: not the first error

package parallelcalls

import (
	"context"
	"errors"
	"sync"
)

func All(ctx context.Context, calls []Call) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results := make([]string, len(calls))
	errs := make([]error, len(calls))
	var wg sync.WaitGroup
	for i, call := range calls {
		wg.Go(func() {
			results[i], errs[i] = Try(ctx, i, call)
			if errs[i] != nil {
				cancel()
			}
		})
	}
	wg.Wait()
	// The cancelled siblings' errors are noise: report the first real one.
	for _, err := range errs {
		if err != nil && !errors.Is(err, context.Canceled) {
			return nil, err
		}
	}
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return results, nil
}
