package pipelines

import (
	"context"
	"fmt"

	"golang.org/x/sync/errgroup"
)

// Ordered is FanOut that keeps the order: the result of the k-th value
// taken from in is the k-th value sent on the returned channel. It runs f
// on up to n values at once, in goroutines it starts in g.
//
// A result that is ready before the results of earlier values waits in a
// reorder buffer, and that buffer is bounded: Ordered takes a value from in
// only while fewer than n of the values it has taken have not yet been
// received from its channel. So while the earliest value's f is slow,
// Ordered holds at most n values (that one, and the results waiting behind
// it) and the rest wait upstream. As soon as a result is received, the next
// value may be taken: a sliding window, not batches.
//
// The channel is unbuffered, and closed exactly once: after in is closed
// and every result received, or after an error or a cancel. If f fails on
// a value, Ordered returns the error to g, which cancels ctx, and it never
// sends the result of a value taken after that one. When ctx is done, its
// goroutines return ctx.Err() at once, waiting neither for in nor for the
// consumer.
//
// n must be at least 1: Ordered panics otherwise, before it starts anything.
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
			select {
			case slots <- struct{}{}: // a slot first, then a value: never more than n held
			case <-ctx.Done():
				return ctx.Err()
			}
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
