// Mistake: a failed job never gives its weight back.
//
// The Release is on the success path only, after an early return for the
// error. Each failure shrinks the capacity for good, and once enough
// jobs failed, the rest wait for room that never comes.
//
// Replaces: weighted.go
// Kind: test failed
// Expect: slot leaked on an error

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
		mu   sync.Mutex // guards errs
		errs []error
	)
	report := func(err error) {
		mu.Lock()
		errs = append(errs, err)
		mu.Unlock()
	}
	for _, job := range jobs {
		// Take the room before the goroutine exists. Acquire waits in
		// order (FIFO), and fails once ctx is done.
		if err := sem.Acquire(ctx, job.Weight); err != nil {
			report(err) // the caller gave up: this job and the rest never start
			break
		}
		wg.Go(func() {
			if err := job.Run(ctx); err != nil {
				report(fmt.Errorf("%s: %w", job.Name, err))
				return
			}
			sem.Release(job.Weight)
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}
