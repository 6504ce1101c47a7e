// Mistake: Go's select takes a slot or gives up, with no check of the context first.
//
// The select has both cases, so a Go that waits gives up when its context
// ends. But when a slot is free and the context is already done, both
// cases are ready and select picks one at random: half the time f runs
// for a caller that has gone.
//
// Replaces: limiter.go
// Kind: test failed
// Expect: select picks either at random

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
