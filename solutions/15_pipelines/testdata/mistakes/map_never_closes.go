// Mistake: Map never closes its channel.
//
// A Node stream ends by itself when its source ends; a Go channel is closed
// only by its sender. Without close(out) the next stage's range loop waits
// for ever after the last value, and so does g.Wait for that stage.
//
// Replaces: chain.go
// Kind: test failed
// Expect: output channel never closed

package pipelines

import (
	"context"

	"golang.org/x/sync/errgroup"
)

func Map[In, Out any](ctx context.Context, g *errgroup.Group, in <-chan In, f Func[In, Out]) <-chan Out {
	out := make(chan Out)
	g.Go(func() error {
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
