// Mistake: FanOut starts one worker, whatever n says.
//
// It keeps every other promise (nothing lost, the channel closed once,
// errors and cancels), so a test with fast calls passes. But the calls run
// one after another: n workers must run side by side.
//
// Replaces: fanout.go
// Kind: test failed
// Expect: fewer workers than asked

package pipelines

import (
	"context"
	"fmt"
	"sync"

	"golang.org/x/sync/errgroup"
)

func FanOut[In, Out any](ctx context.Context, g *errgroup.Group, in <-chan In, n int, f Func[In, Out]) <-chan Out {
	if n < 1 {
		panic(fmt.Sprintf("pipelines: FanOut with %d workers", n))
	}
	out := make(chan Out)
	var workers sync.WaitGroup
	workers.Add(1)
	for range 1 {
		g.Go(func() error {
			defer workers.Done()
			return work(ctx, in, out, f)
		})
	}
	g.Go(func() error {
		workers.Wait() // the last worker has returned: nobody sends on out any more
		close(out)
		return nil
	})
	return out
}
