// Mistake: Go checks the context after the select, and keeps the slot it took.
//
// The author knew that select may pick the free slot when the context is
// done, and checked ctx.Err() after it, but returns without giving the
// slot back. f does not run, so every Go looks right; each such call
// leaves one slot taken forever, and after k of them the limiter runs
// nothing.
//
// Replaces: limiter.go
// Kind: test failed
// Expect: slot leaked on the cancel path

package boundedconcurrency

import (
	"context"
	"sync"
)

type Limiter struct {
	slots chan struct{}
	wg    sync.WaitGroup
	mu    sync.Mutex
	errs  []error
}

func NewLimiter(k int) *Limiter {
	if k < 1 {
		panic("k < 1")
	}
	return &Limiter{slots: make(chan struct{}, k)}
}

func (l *Limiter) Go(ctx context.Context, f func() error) error {
	select {
	case l.slots <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	if err := ctx.Err(); err != nil { // select may have picked the slot
		return err
	}
	l.wg.Go(func() {
		defer func() { <-l.slots }()
		if err := safeCall(f); err != nil {
			l.mu.Lock()
			l.errs = append(l.errs, err)
			l.mu.Unlock()
		}
	})
	return nil
}
