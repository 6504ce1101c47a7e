// Mistake: AllSettled appends the errors to one slice, unlocked.
//
// The results have a slot each, but the errors are appended by every
// failing goroutine to a shared slice with no lock: a data race, and an
// error can be lost when two appends overlap.
//
// Replaces: settled.go
// Kind: data race
// Expect: WARNING: DATA RACE

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
	var wg sync.WaitGroup
	var errs []error
	for i, call := range calls {
		wg.Go(func() {
			r, err := Try(ctx, i, call)
			results[i] = r
			if err != nil {
				errs = append(errs, err)
			}
		})
	}
	wg.Wait()
	return results, errors.Join(errs...)
}
