// Mistake: Ordered works in batches of n: take n values, wait for all n, send them.
//
// Order and bound hold, and it is Promise.all over chunks of n. But a
// batch waits for its slowest call while the other workers sit idle, and
// no value is taken until the whole batch has been received.
//
// Replaces: ordered.go
// Kind: test failed
// Expect: a sliding window, not batches

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
			var batch []In
			for len(batch) < n {
				select {
				case v, ok := <-in:
					if !ok {
						n = len(batch) // the last batch
						continue
					}
					batch = append(batch, v)
				case <-ctx.Done():
					return ctx.Err()
				}
			}
			if len(batch) == 0 {
				return nil
			}
			results := make([]Out, len(batch))
			calls, cctx := errgroup.WithContext(ctx)
			for i, v := range batch {
				calls.Go(func() error {
					r, err := f(cctx, v)
					results[i] = r
					return err
				})
			}
			if err := calls.Wait(); err != nil {
				return err
			}
			for _, r := range results {
				select {
				case out <- r:
				case <-ctx.Done():
					return ctx.Err()
				}
			}
		}
	})
	return out
}
