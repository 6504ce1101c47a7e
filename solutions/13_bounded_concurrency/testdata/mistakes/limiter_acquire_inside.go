// Mistake: Go starts the goroutine at once, and the goroutine waits there for a slot.
//
// This is p-limit's shape copied literally: in Node a queued promise costs
// little. In Go each waiting function holds a goroutine, and Go returns
// before the function has a slot, so it cannot give up on a cancelled
// context either.
//
// Replaces: limiter.go
// Kind: test failed
// Expect: acquire inside the goroutine

package boundedconcurrency

import "context"

func (l *Limiter) Go(ctx context.Context, f func() error) error {
	// With a free slot and a done context both ready, select would pick
	// either: a done context must win.
	if err := ctx.Err(); err != nil {
		return err
	}
	l.wg.Go(func() {
		l.slots <- struct{}{}
		defer func() { <-l.slots }() // freed on every path, a panic included
		if err := safeCall(f); err != nil {
			l.mu.Lock()
			l.errs = append(l.errs, err)
			l.mu.Unlock()
		}
	})
	return nil
}
