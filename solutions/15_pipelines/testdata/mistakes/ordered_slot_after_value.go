// Mistake: Ordered takes a value first and a slot after it.
//
// The value waits in the dispatcher's hands for a free slot, so n+1 values
// are held: n in slots and one more. Each stage that does this holds one
// extra, and a test that only checks "bounded" misses it.
//
// Replaces: ordered.go
// Kind: test failed
// Expect: off by one

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
	slots := make(chan struct{}, n)   // a token for each value taken and not yet delivered
	pending := make(chan chan Out, n) // the results to deliver, in the order the values were taken
	g.Go(func() error {               // the dispatcher: takes values in order, one slot each
		defer close(pending)
		for {
			var v In
			select {
			case x, ok := <-in:
				if !ok {
					return nil
				}
				v = x
			case <-ctx.Done():
				return ctx.Err()
			}
			select {
			case slots <- struct{}{}: // the value is already taken
			case <-ctx.Done():
				return ctx.Err()
			}
			result := make(chan Out, 1) // room for the result: its call never waits
			pending <- result           // never blocks: at most n slots are taken
			g.Go(func() error {
				r, err := f(ctx, v)
				if err != nil {
					return err
				}
				result <- r
				return nil
			})
		}
	})
	g.Go(func() error { // the collector: delivers the results in order
		defer close(out)
		for result := range pending {
			var r Out
			select {
			case r = <-result: // the earliest value's result, however long it takes
			case <-ctx.Done():
				return ctx.Err()
			}
			select {
			case out <- r:
			case <-ctx.Done():
				return ctx.Err()
			}
			<-slots // delivered: the next value may be taken
		}
		return nil
	})
	return out
}
