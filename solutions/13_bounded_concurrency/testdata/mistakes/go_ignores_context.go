// Mistake: Go waits for a slot without looking at its context.
//
// A plain send on the semaphore channel waits as long as it takes. A
// caller that gave up (its request was cancelled) stays parked in Go
// until some function returns, and then starts work nobody wants.
//
// Replaces: limiter.go
// Kind: test failed
// Expect: whichever comes first

package boundedconcurrency

import "context"

func (l *Limiter) Go(ctx context.Context, f func() error) error {
	// With a free slot and a done context both ready, select would pick
	// either: a done context must win.
	if err := ctx.Err(); err != nil {
		return err
	}
	l.slots <- struct{}{}
	l.wg.Go(func() {
		defer func() { <-l.slots }() // freed on every path, a panic included
		if err := safeCall(f); err != nil {
			l.mu.Lock()
			l.errs = append(l.errs, err)
			l.mu.Unlock()
		}
	})
	return nil
}
