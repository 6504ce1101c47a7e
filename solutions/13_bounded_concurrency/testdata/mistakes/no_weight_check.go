// Mistake: a job heavier than the capacity is handed to Acquire.
//
// semaphore.Acquire with more than the semaphore's size does not fail: it
// waits until the context is done. Without a deadline that is forever;
// with one, the caller learns nothing until it expires.
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
			defer sem.Release(job.Weight) // on every path, an error included
			if err := job.Run(ctx); err != nil {
				report(fmt.Errorf("%s: %w", job.Name, err))
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}
