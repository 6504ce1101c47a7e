// Mistake: Map logs f's error and goes on with the next value.
//
// console.error and carry on is a habit from event handlers. In a pipeline
// the value is missing from the output, the stages after Map see their
// input end normally, and g.Wait returns nil: the import looks complete.
//
// Replaces: chain.go
// Kind: test failed
// Expect: the error was lost

package pipelines

import (
	"context"
	"log"

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
				log.Printf("pipelines: %v", err) // and on to the next value
				continue
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
