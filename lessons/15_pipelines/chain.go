package pipelines

import (
	"context"

	"golang.org/x/sync/errgroup"
)

// Generate is the source of a pipeline. It starts a goroutine in g that
// sends items on the returned channel, one after another in their order,
// and closes the channel after the last one. The channel is unbuffered:
// each item is sent only when the next stage takes it.
//
// If ctx is done first, Generate sends nothing more: its goroutine closes
// the channel and returns ctx.Err() to g.
func Generate[T any](ctx context.Context, g *errgroup.Group, items []T) <-chan T {
	out := make(chan T)
	// TODO: start a goroutine in g (g.Go) that sends each item on out in a
	// select with <-ctx.Done(), and closes out when it returns, on every
	// path.
	close(out)
	return out
}

// Map is one stage with one worker. It starts a goroutine in g that takes
// each value from in, calls f(ctx, v) and sends the result on the returned
// channel, in the order of in. The channel is unbuffered and Map holds one
// value at a time: it takes the next value from in only once its consumer
// has received the previous result. So a slow consumer slows Map down; Map
// never drops a result, and never piles them up.
//
// When in is closed and the last result has been received, Map closes its
// channel and returns nil to g.
//
// If f fails, Map stops at once: it closes its channel and returns f's
// error to g, which cancels ctx for every stage; g.Wait returns that error.
//
// When ctx is done, Map closes its channel and returns ctx.Err() at once,
// whether it waits for a value from in or for its consumer to receive a
// result: it does not wait for in to be closed. f gets ctx, so that a call
// of f that is running then returns soon too.
func Map[In, Out any](ctx context.Context, g *errgroup.Group, in <-chan In, f Func[In, Out]) <-chan Out {
	out := make(chan Out)
	// TODO: start a goroutine in g that receives from in and sends f's
	// results on out, each channel operation in a select with
	// <-ctx.Done(); return f's error or ctx.Err(); close out on every path.
	close(out)
	return out
}
