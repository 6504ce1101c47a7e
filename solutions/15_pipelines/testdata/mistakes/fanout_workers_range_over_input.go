// Mistake: The workers range over in, and watch ctx only when they send.
//
// A worker waiting for a value wakes only when the stage before it sends or
// closes. If that stage is slow to notice the cancel, every idle worker
// waits for it, and the cancel reaches FanOut only through its neighbour.
//
// Replaces: fanout.go
// Kind: test failed
// Expect: cancel did not reach every worker

package pipelines

import "context"

func work[In, Out any](ctx context.Context, in <-chan In, out chan<- Out, f Func[In, Out]) error {
	for v := range in {
		r, err := f(ctx, v)
		if err != nil {
			return err
		}
		select {
		case out <- r:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}
