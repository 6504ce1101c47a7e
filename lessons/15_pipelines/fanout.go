package pipelines

import (
	"context"

	"golang.org/x/sync/errgroup"
)

// FanOut is one stage with n workers. It starts n goroutines in g, and
// each of them does what Map does: it takes a value from in, calls f and
// sends the result on the channel FanOut returns, the one channel that all
// n share (fan-in). So up to n calls of f run at once. The results come in
// the order they are ready, not in the order of in.
//
// The channel is unbuffered and each worker holds one value at a time: it
// takes the next value from in only once its result has been received. So
// FanOut never holds more than n values that its consumer has not received.
//
// The channel is closed exactly once, when the last of the n workers has
// returned: after in is closed and every result received, or after an
// error or a cancel. Errors and cancellation are as for Map: the first
// error of f is returned to g, which cancels ctx; when ctx is done, every
// worker returns ctx.Err() at once, waiting neither for in nor for the
// consumer.
//
// n must be at least 1: FanOut panics otherwise, before it starts anything.
func FanOut[In, Out any](ctx context.Context, g *errgroup.Group, in <-chan In, n int, f Func[In, Out]) <-chan Out {
	out := make(chan Out)
	// TODO: refuse n < 1; start n workers in g, each doing what Map does
	// but all sending on out; close out once, after the last worker has
	// returned.
	close(out)
	return out
}
