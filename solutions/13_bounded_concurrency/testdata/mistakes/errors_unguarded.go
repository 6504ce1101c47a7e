// Mistake: the functions append their errors to the list without the mutex.
//
// Each function runs in its own goroutine, so two that fail at once
// append to one slice at once: a data race, and an error can be lost.
// With one function at a time it never shows.
//
// Replaces: limiter.go
// Kind: data race
// Expect: WARNING: DATA RACE

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
		if err := safeCall(f); err != nil {
			l.errs = append(l.errs, err)
		}
	})
	return nil
}
