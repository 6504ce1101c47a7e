// Mistake: a panic in one function crashes the program.
//
// A goroutine's panic cannot be caught by anyone else: unless the
// goroutine recovers it, the whole process dies, every other request
// with it. errgroup does not recover either; the Limiter promises to.
//
// Replaces: limiter.go
// Kind: panic
// Expect: index out of range

package boundedconcurrency

import "context"

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
		defer func() { <-l.slots }() // freed on every path, a panic included
		if err := f(); err != nil {
			l.mu.Lock()
			l.errs = append(l.errs, err)
			l.mu.Unlock()
		}
	})
	return nil
}
