// Mistake: AllSettled joins the errors in the order the calls failed.
//
// Every error is kept, under a lock, but appended as it comes: the joined
// error lists the fastest failure first, and a caller that reads it cannot
// line it up with the calls. Keep errs[i] for call i and join at the end.
//
// Replaces: settled.go
// Kind: test failed
// Expect: errors out of order

package parallelcalls

import (
	"context"
	"errors"
	"sync"
)

// AllSettled makes every call at the same time and lets every one settle.
func AllSettled(ctx context.Context, calls []Call) ([]string, error) {
	results := make([]string, len(calls))
	if err := ctx.Err(); err != nil {
		return results, err
	}
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	for i, call := range calls {
		wg.Go(func() {
			r, err := Try(ctx, i, call)
			results[i] = r
			if err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return results, errors.Join(errs...)
}
