// Mistake: Map ranges over in, and watches ctx only when it sends.
//
// This is the stage of many tutorials, and it stops as soon as the stage
// before it closes in. But a stage that is busy in a slow call, or a source
// outside the pipeline, closes late or never, and Map waits for it: the
// cancel reaches Map only through its neighbour.
//
// Replaces: chain.go
// Kind: test failed
// Expect: a range over in waits for in to close

package pipelines

import (
	"context"

	"golang.org/x/sync/errgroup"
)

func Map[In, Out any](ctx context.Context, g *errgroup.Group, in <-chan In, f Func[In, Out]) <-chan Out {
	out := make(chan Out)
	g.Go(func() error {
		defer close(out)
		for v := range in { // waits for in to close, whatever ctx says
			r, err := f(ctx, v)
			if err != nil {
				return err // the group cancels ctx for every other stage
			}
			select {
			case out <- r:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		return nil
	})
	return out
}
