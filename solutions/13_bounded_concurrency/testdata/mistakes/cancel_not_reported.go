// Mistake: the loop stops at the caller's cancel, but nothing records why.
//
// A channel semaphore in a select with ctx.Done(): the right shape. But
// the ctx.Done() branch only breaks the loop, and ForEach returns the
// first error of a call. When the calls running finish well (they were
// nearly done, or ignore their context), ForEach returns nil: the caller
// believes every item was processed, and eight were never started.
//
// Replaces: limit.go
// Kind: test failed
// Expect: the context error was swallowed

package boundedconcurrency

import (
	"context"
	"sync"
)

func ForEach(ctx context.Context, n, limit int, query Query) error {
	if limit < 1 {
		return ErrLimit
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	sem := make(chan struct{}, limit)
	var (
		wg    sync.WaitGroup
		once  sync.Once
		first error
	)
loop:
	for i := range n {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			break loop // stop early: the rest never start
		}
		if ctx.Err() != nil {
			<-sem
			break
		}
		wg.Go(func() {
			defer func() { <-sem }()
			if err := query(ctx, i); err != nil {
				once.Do(func() { first = err; cancel() })
			}
		})
	}
	wg.Wait()
	return first
}
