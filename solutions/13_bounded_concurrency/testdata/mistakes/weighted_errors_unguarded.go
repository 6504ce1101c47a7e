// Mistake: the jobs append their errors to the list without a lock.
//
// The loop's own error is kept apart, and jobs that fail one after another
// are ordered by the semaphore (a Release, then the Acquire of the next
// job), so one failure at a time never shows a race. Two jobs that fail
// at the same moment append at once: a data race, and an error lost.
//
// Replaces: weighted.go
// Kind: data race
// Expect: WARNING: DATA RACE

package boundedconcurrency

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"golang.org/x/sync/semaphore"
)

func RunWeighted(ctx context.Context, capacity int64, jobs []Job) error {
	for _, job := range jobs {
		if job.Weight > capacity {
			return fmt.Errorf("%w: %s weighs %d, the capacity is %d", ErrTooHeavy, job.Name, job.Weight, capacity)
		}
	}
	sem := semaphore.NewWeighted(capacity)
	var (
		wg     sync.WaitGroup
		errs   []error
		ctxErr error // the loop's own error, kept apart
	)
	for _, job := range jobs {
		if err := sem.Acquire(ctx, job.Weight); err != nil {
			ctxErr = err
			break
		}
		wg.Go(func() {
			defer sem.Release(job.Weight)
			if err := job.Run(ctx); err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", job.Name, err))
			}
		})
	}
	wg.Wait()
	return errors.Join(append(errs, ctxErr)...)
}
