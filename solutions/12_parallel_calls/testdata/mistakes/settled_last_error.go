// Mistake: AllSettled keeps only the last error.
//
// Every call settles and every result is there, but the error is one
// variable that each failing goroutine overwrites: with two failures the
// caller learns about one of them. allSettled's point is that nothing is
// lost.
//
// Replaces: settled.go
// Kind: test failed
// Expect: errors were lost

package parallelcalls

import (
	"context"
	"sync"
)

// AllSettled makes every call at the same time and lets every one settle.
func AllSettled(ctx context.Context, calls []Call) ([]string, error) {
	results := make([]string, len(calls))
	if err := ctx.Err(); err != nil {
		return results, err
	}
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		lastErr error
	)
	for i, call := range calls {
		wg.Go(func() {
			r, err := Try(ctx, i, call)
			results[i] = r
			if err != nil {
				mu.Lock()
				lastErr = err
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return results, lastErr
}
