// Mistake: FanOut starts a goroutine for every value, not n workers.
//
// This is items.map(async ...) and Promise.all: every value taken from in
// gets its call at once. With ten items it looks fast; with ten thousand it
// is ten thousand calls to the supplier at the same moment, and n means
// nothing.
//
// Replaces: fanout.go
// Kind: test failed
// Expect: unbounded fan-out

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
	g.Go(func() error {
		var calls sync.WaitGroup
		defer close(out)
		defer calls.Wait()
		for v := range in {
			calls.Add(1)
			g.Go(func() error {
				defer calls.Done()
				r, err := f(ctx, v)
				if err != nil {
					return err
				}
				select {
				case out <- r:
					return nil
				case <-ctx.Done():
					return ctx.Err()
				}
			})
		}
		return nil
	})
	return out
}
