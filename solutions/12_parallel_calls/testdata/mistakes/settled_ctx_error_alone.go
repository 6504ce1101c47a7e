// Mistake: when the caller's context is done, AllSettled returns ctx.Err() alone.
//
// "The caller gave up, that is the error." But calls that failed on their
// own before the cancel have errors of their own, and allSettled's point
// is that none is lost: the join must keep them beside the context's.
//
// Replaces: settled.go
// Kind: test failed
// Expect: errors were lost

package parallelcalls

import (
	"context"
	"errors"
	"sync"
)

func AllSettled(ctx context.Context, calls []Call) (results []string, err error) {
	results = make([]string, len(calls))
	if err := ctx.Err(); err != nil {
		return results, err
	}
	errs := make([]error, len(calls))
	var wg sync.WaitGroup
	for i, call := range calls {
		wg.Go(func() {
			results[i], errs[i] = Try(ctx, i, call)
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return results, err // the caller gave up: that is the error
	}
	return results, errors.Join(errs...)
}
