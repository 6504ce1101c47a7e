// Mistake: when Acquire fails, RunWeighted stops without reporting it.
//
// "The running jobs will report the cancel": they do, when they listen to
// their context and are still running. A job that ignores it, or finishes
// well, reports nothing, and RunWeighted returns nil (or only the jobs'
// own errors) for a batch whose last jobs never ran.
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
	if err := ctx.Err(); err != nil {
		return err
	}
	sem := semaphore.NewWeighted(capacity)
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	for _, job := range jobs {
		if err := sem.Acquire(ctx, job.Weight); err != nil {
			break // cancelled: the running jobs will report it
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
