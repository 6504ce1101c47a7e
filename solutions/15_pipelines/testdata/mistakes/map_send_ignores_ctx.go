// Mistake: Map waits for its consumer with a plain send.
//
// The receive is in a select with ctx.Done(), the send is not. When the
// consumer quits early (it found what it wanted, or failed), Map is left
// blocked on that send for ever: a goroutine leak that a consumer reading
// to the end never shows.
//
// Replaces: chain.go
// Kind: test failed
// Expect: a consumer that quits leaves the stage blocked on its send

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
			out <- r // blocks for ever if the consumer has quit
		}
	})
	return out
}
