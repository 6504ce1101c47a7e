// Mistake: Each worker closes the shared channel when it returns.
//
// It is what Map does, copied into each of the n workers. But the channel
// is shared: the first worker to return closes it while the others still
// send, and a send on a closed channel (or a second close) panics.
//
// Replaces: fanout.go
// Kind: panic
// Expect: a worker closed the shared channel
// Expect: close of closed channel

package pipelines

import (
	"context"
	"fmt"

	"golang.org/x/sync/errgroup"
)

func FanOut[In, Out any](ctx context.Context, g *errgroup.Group, in <-chan In, n int, f Func[In, Out]) <-chan Out {
	if n < 1 {
		panic(fmt.Sprintf("pipelines: FanOut with %d workers", n))
	}
	out := make(chan Out)
	for range n {
		g.Go(func() error {
			defer close(out) // as in Map
			return work(ctx, in, out, f)
		})
	}
	return out
}
