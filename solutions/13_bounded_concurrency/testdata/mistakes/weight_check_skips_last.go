// Mistake: the weight check stops one job short.
//
// for i := 0; i < len(jobs)-1; i++: an off-by-one that checks every job
// but the last. A heavy job in the middle is refused; a heavy last job is
// handed to Acquire, which waits for room that can never be free until
// the context ends, while the jobs before it run.
//
// Replaces: weighted.go
// Kind: test failed
// Expect: can never start

package boundedconcurrency

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"golang.org/x/sync/semaphore"
)

func RunWeighted(ctx context.Context, capacity int64, jobs []Job) error {
	for i := 0; i < len(jobs)-1; i++ {
		if job := jobs[i]; job.Weight > capacity {
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
			errs = append(errs, err)
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
