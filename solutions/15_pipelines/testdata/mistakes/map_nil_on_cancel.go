// Mistake: Map returns nil when ctx is done.
//
// The stage stops on a cancel, as it should, but tells its group that all
// went well. If every stage does this, g.Wait returns nil for a pipeline
// that was cut off halfway, and its caller takes a partial result for a
// complete one.
//
// Replaces: chain.go
// Kind: test failed
// Expect: must return ctx.Err()

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
				return nil // stopped, but says nothing
			}
			r, err := f(ctx, v)
			if err != nil {
				return err // the group cancels ctx for every other stage
			}
			select {
			case out <- r: // wait for the consumer: never drop, never pile up
			case <-ctx.Done():
				return nil
			}
		}
	})
	return out
}
