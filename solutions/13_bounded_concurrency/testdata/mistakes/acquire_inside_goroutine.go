// Mistake: each call's goroutine starts at once and takes its slot inside.
//
// The calls in flight are bounded by the channel, so a check of the
// database's load passes. But the loop starts all n goroutines at once,
// each parked on the semaphore: a million items make a million
// goroutines, which is what the limit was meant to prevent.
//
// Replaces: limit.go
// Kind: test failed
// Expect: acquire inside the goroutine

package boundedconcurrency

import (
	"context"
	"sync"
)

func ForEach(ctx context.Context, n, limit int, query Query) error {
	if limit < 1 {
		return ErrLimit
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	sem := make(chan struct{}, limit)
	var (
		wg    sync.WaitGroup
		once  sync.Once
		first error
	)
	for i := range n {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			err := ctx.Err()
			if err == nil {
				err = query(ctx, i)
			}
			if err != nil {
				once.Do(func() { first = err; cancel() })
			}
		})
	}
	wg.Wait()
	return first
}
