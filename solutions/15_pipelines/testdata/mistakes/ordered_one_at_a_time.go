// Mistake: Ordered calls f for one value at a time: the order is kept by never
//
//
// It is the simplest way to keep the order, and it is Map. Every promise
// about order, bound and closing holds; only the speed is gone, and n
// means nothing.
//
// Replaces: ordered.go
// Kind: test failed
// Expect: the calls were serialized

package pipelines

import (
	"context"
	"fmt"

	"golang.org/x/sync/errgroup"
)

func Ordered[In, Out any](ctx context.Context, g *errgroup.Group, in <-chan In, n int, f Func[In, Out]) <-chan Out {
	if n < 1 {
		panic(fmt.Sprintf("pipelines: Ordered with %d workers", n))
	}
	out := make(chan Out)
	g.Go(func() error {
		defer close(out)
		for {
			select {
			case v, ok := <-in:
				if !ok {
					return nil
				}
				r, err := f(ctx, v)
				if err != nil {
					return err
				}
				select {
				case out <- r:
				case <-ctx.Done():
					return ctx.Err()
				}
			case <-ctx.Done():
				return ctx.Err()
			}
		}
	})
	return out
}
