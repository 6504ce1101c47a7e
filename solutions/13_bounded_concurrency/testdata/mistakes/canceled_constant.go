// Mistake: Go returns context.Canceled, whatever ended the context.
//
// An AbortError constant, the Node way. A caller whose deadline passed
// gets "context canceled" and cannot tell a timeout from a cancel;
// errors.Is(err, context.DeadlineExceeded) fails.
//
// Replaces: limiter.go
// Kind: test failed
// Expect: not a fixed error

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
	if ctx.Err() != nil {
		return context.Canceled // an AbortError
	}
	select {
	case l.slots <- struct{}{}:
	case <-ctx.Done():
		return context.Canceled
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
