// Mistake: the slot is freed after f returns, so a panic skips it.
//
// The panic is recovered and reported, which looks careful. But the line
// that frees the slot runs only when f returns normally: every panic
// costs one slot for good, and with k panics the Limiter runs nothing.
//
// Replaces: limiter.go
// Removes: safeCall
// Kind: test failed
// Expect: slot leaked on a panic

package boundedconcurrency

import (
	"context"
	"fmt"
)

func (l *Limiter) Go(ctx context.Context, f func() error) error {
	// With a free slot and a done context both ready, select would pick
	// either: a done context must win.
	if err := ctx.Err(); err != nil {
		return err
	}
	select {
	case l.slots <- struct{}{}: // the slot is taken before the goroutine exists
	case <-ctx.Done():
		return ctx.Err()
	}
	l.wg.Go(func() {
		defer func() {
			if r := recover(); r != nil {
				l.mu.Lock()
				l.errs = append(l.errs, fmt.Errorf("%w: %v", ErrPanic, r))
				l.mu.Unlock()
			}
		}()
		if err := f(); err != nil {
			l.mu.Lock()
			l.errs = append(l.errs, err)
			l.mu.Unlock()
		}
		<-l.slots
	})
	return nil
}
