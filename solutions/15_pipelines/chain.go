package pipelines

import (
	"context"

	"golang.org/x/sync/errgroup"
)

// Generate is the source of a pipeline. It starts a goroutine in g that
// sends items on the returned channel, one after another in their order,
// and closes the channel after the last one. The channel is unbuffered:
// each item is sent only when the next stage takes it.
//
// If ctx is done first, Generate sends nothing more: its goroutine closes
// the channel and returns ctx.Err() to g.
func Generate[T any](ctx context.Context, g *errgroup.Group, items []T) <-chan T {
	out := make(chan T)
	g.Go(func() error {
		defer close(out) // on every path: the next stage ranges over out
		for _, v := range items {
			select {
			case out <- v:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		return nil
	})
	return out
}

// Map is one stage with one worker. It starts a goroutine in g that takes
// each value from in, calls f(ctx, v) and sends the result on the returned
// channel, in the order of in. The channel is unbuffered and Map holds one
// value at a time: it takes the next value from in only once its consumer
// has received the previous result. So a slow consumer slows Map down; Map
// never drops a result, and never piles them up.
//
// When in is closed and the last result has been received, Map closes its
// channel and returns nil to g.
//
// If f fails, Map stops at once: it closes its channel and returns f's
// error to g, which cancels ctx for every stage; g.Wait returns that error.
//
// When ctx is done, Map closes its channel and returns ctx.Err() at once,
// whether it waits for a value from in or for its consumer to receive a
// result: it does not wait for in to be closed. f gets ctx, so that a call
// of f that is running then returns soon too.
func Map[In, Out any](ctx context.Context, g *errgroup.Group, in <-chan In, f Func[In, Out]) <-chan Out {
	out := make(chan Out)
	g.Go(func() error {
		defer close(out)
		for {
			var v In
			select {
			case x, ok := <-in:
				if !ok {
					return nil // in is done, and so is Map
				}
				v = x
			case <-ctx.Done():
				return ctx.Err() // upstream may be slow to notice: do not wait for it
			}
			r, err := f(ctx, v)
			if err != nil {
				return err // the group cancels ctx for every other stage
			}
			select {
			case out <- r: // wait for the consumer: never drop, never pile up
			case <-ctx.Done():
				return ctx.Err()
			}
		}
	})
	return out
}
