// Mistake: every failing call overwrites the error, so the last one is kept.
//
// The first error cancels the others, and each cancelled call then fails
// too, with a context error, later. err = e in every goroutine keeps the
// last of them: All reports "context canceled" and the real cause (the
// database was down) is lost.
//
// Replaces: all.go
// Kind: test failed
// Expect: not the first error

package parallelcalls

import (
	"context"
	"sync"
)

// All makes every call at the same time and returns their results in order,
// or the first error.
func All(ctx context.Context, calls []Call) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		lastErr error
	)
	results := make([]string, len(calls))
	for i, call := range calls {
		wg.Go(func() {
			r, err := Try(ctx, i, call)
			if err != nil {
				mu.Lock()
				lastErr = err
				mu.Unlock()
				cancel()
				return
			}
			results[i] = r
		})
	}
	wg.Wait()
	if lastErr != nil {
		return nil, lastErr
	}
	return results, nil
}
