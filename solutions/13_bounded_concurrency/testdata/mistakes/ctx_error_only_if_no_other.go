// Mistake: the context error is kept only when no job failed.
//
// "A job's own failure says more than the cancel": if any job failed
// before the deadline, Acquire's error is dropped, and the caller cannot
// tell that the jobs behind it never ran.
//
// Replaces: weighted.go
// Kind: test failed
// Expect: the context error was swallowed

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
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	for _, job := range jobs {
		if err := sem.Acquire(ctx, job.Weight); err != nil {
			mu.Lock()
			if len(errs) == 0 { // a job's own failure says more than the cancel
				errs = append(errs, err)
			}
			mu.Unlock()
			break
		}
		wg.Go(func() {
			defer sem.Release(job.Weight)
			if err := job.Run(ctx); err != nil {
				mu.Lock()
				errs = append(errs, fmt.Errorf("%s: %w", job.Name, err))
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}
