// Mistake: every job takes one unit, whatever it weighs.
//
// A semaphore of capacity slots where each job takes one is a plain
// counting semaphore: five big exports run at once although the database
// has room for two of them.
//
// Replaces: weighted.go
// Kind: test failed
// Expect: the weights were not respected

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
		if err := sem.Acquire(ctx, 1); err != nil {
			report(err) // the caller gave up: this job and the rest never start
			break
		}
		wg.Go(func() {
			defer sem.Release(1) // on every path, an error included
			if err := job.Run(ctx); err != nil {
				report(fmt.Errorf("%s: %w", job.Name, err))
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}
