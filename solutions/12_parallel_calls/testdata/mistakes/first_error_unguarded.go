// Mistake: the first error is kept in a variable with no lock.
//
// "if first == nil { first = err }" in every goroutine looks harmless: the
// siblings cancelled by the first error fail after it. But calls that fail
// on their own at the same moment, or that ignore their context and fail
// later, read and write first from several goroutines at once: a data
// race, and a check-then-set that two failures can both pass.
//
// Replaces: all.go
// Kind: data race
// Expect: WARNING: DATA RACE

package parallelcalls

import (
	"context"
	"sync"
)

func All(ctx context.Context, calls []Call) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results := make([]string, len(calls))
	var first error
	var wg sync.WaitGroup
	for i, call := range calls {
		wg.Go(func() {
			r, err := Try(ctx, i, call)
			if err != nil {
				if first == nil { // only the first failure gets here first
					first = err
					cancel()
				}
				return
			}
			results[i] = r
		})
	}
	wg.Wait()
	if first != nil {
		return nil, first
	}
	return results, nil
}
