// Mistake: The reorder buffer is a map that nothing bounds.
//
// n workers run the calls and the results wait in a map until their turn,
// which keeps the order. But while the first value's call is slow, the
// workers go on taking values, and the map grows with every one of them:
// a slow first item makes Ordered hold the whole input.
//
// Replaces: ordered.go
// Kind: test failed
// Expect: buffers without bound

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
	type job struct {
		seq int
		v   In
	}
	type done struct {
		seq int
		r   Out
	}
	jobs := make(chan job)
	results := make(chan done)
	g.Go(func() error { // number the values
		defer close(jobs)
		seq := 0
		for {
			select {
			case v, ok := <-in:
				if !ok {
					return nil
				}
				select {
				case jobs <- job{seq, v}:
				case <-ctx.Done():
					return ctx.Err()
				}
				seq++
			case <-ctx.Done():
				return ctx.Err()
			}
		}
	})
	var workers errgroup.Group
	for range n {
		workers.Go(func() error {
			for j := range jobs {
				r, err := f(ctx, j.v)
				if err != nil {
					return err
				}
				select {
				case results <- done{j.seq, r}:
				case <-ctx.Done():
					return ctx.Err()
				}
			}
			return nil
		})
	}
	g.Go(func() error {
		defer close(results)
		return workers.Wait()
	})
	g.Go(func() error { // deliver in order from the buffer
		defer close(out)
		buf := map[int]Out{} // results that came early: nothing bounds it
		next := 0
		for d := range results {
			buf[d.seq] = d.r
			for {
				r, ok := buf[next]
				if !ok {
					break
				}
				select {
				case out <- r:
				case <-ctx.Done():
					return ctx.Err()
				}
				delete(buf, next)
				next++
			}
		}
		return ctx.Err()
	})
	return out
}
