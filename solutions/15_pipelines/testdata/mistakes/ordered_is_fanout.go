// Mistake: Ordered sends each result the moment it is ready, as FanOut does.
//
// With calls that all take the same time the results even come in order,
// most runs. With calls of different lengths they come in the order they
// finish, and the lines of the output file no longer match the input.
//
// Replaces: ordered.go
// Kind: test failed
// Expect: Ordered reorders

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
	var workers errgroup.Group
	for range n {
		workers.Go(func() error {
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
	}
	g.Go(func() error {
		defer close(out)
		return workers.Wait()
	})
	return out
}
