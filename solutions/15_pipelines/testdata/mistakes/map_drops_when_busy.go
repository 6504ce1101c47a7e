// Mistake: Map gives up on a send when the consumer is not ready at once.
//
// A default case makes the send non-blocking, like emitting an event
// that nobody may be listening to. A consumer that is always ready gets
// everything; a slow one loses the values that came while it was busy.
//
// Replaces: chain.go
// Kind: test failed
// Expect: dropped values when the consumer was not ready

package pipelines

import (
	"context"

	"golang.org/x/sync/errgroup"
)

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
			case out <- r:
			case <-ctx.Done():
				return ctx.Err()
			default: // the consumer is busy: drop it
			}
		}
	})
	return out
}
