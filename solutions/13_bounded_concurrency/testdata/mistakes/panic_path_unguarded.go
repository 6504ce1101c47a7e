// Mistake: the panic path appends its error without the mutex.
//
// f's errors are appended under the mutex; the recover, written later in
// a deferred function, appends without it. One panic at a time is fine;
// two functions that panic (or one that panics and one that fails) at the
// same moment write the list at once: a data race only on the panic path.
//
// Replaces: limiter.go
// Kind: data race
// Expect: WARNING: DATA RACE

package boundedconcurrency

import (
	"context"
	"fmt"
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
	if err := ctx.Err(); err != nil {
		return err
	}
	select {
	case l.slots <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	l.wg.Go(func() {
		defer func() { <-l.slots }()
		defer func() {
			if r := recover(); r != nil {
				l.errs = append(l.errs, fmt.Errorf("%w: %v", ErrPanic, r))
			}
		}()
		if err := f(); err != nil {
			l.mu.Lock()
			l.errs = append(l.errs, err)
			l.mu.Unlock()
		}
	})
	return nil
}
