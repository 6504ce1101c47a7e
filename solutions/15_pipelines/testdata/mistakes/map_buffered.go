// Mistake: Map's channel has a buffer of 16 "for speed".
//
// A buffer lets Map run ahead of its consumer, so it holds up to 17 values
// instead of one, and every stage with a buffer adds its own. A slow
// consumer no longer slows the pipeline down: the memory fills instead,
// which is the backpressure the unbuffered channel gave for free.
//
// Replaces: chain.go
// Kind: test failed
// Expect: buffers results its consumer is not ready for

package pipelines

import (
	"context"

	"golang.org/x/sync/errgroup"
)

func Map[In, Out any](ctx context.Context, g *errgroup.Group, in <-chan In, f Func[In, Out]) <-chan Out {
	out := make(chan Out, 16) // room to run ahead
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
