package pipelines

import (
	"context"
	"errors"

	"golang.org/x/sync/errgroup"
)

// ErrNotFound is what Find returns when no result matches.
var ErrNotFound = errors.New("pipelines: no result matches")

// Find runs the pipeline Generate(items) → FanOut(n workers, f) and
// returns the first result that match accepts, first in the order the
// results reach Find (with several workers, not necessarily the result of
// the earliest item).
//
// Find is a consumer that quits early. As soon as it has a match, it stops
// the pipeline: no stage takes another value, the calls of f still running
// are cancelled, and Find returns the match and nil once every goroutine of
// the pipeline has returned. None is left blocked, on any path.
//
// If no result matches, Find returns ErrNotFound, after f was called for
// every item. If f fails before a match, Find returns that error, once the
// pipeline has stopped. If ctx is done before a match, Find returns an
// error for which errors.Is(err, ctx.Err()) holds.
func Find[In, Out any](ctx context.Context, items []In, n int, f Func[In, Out], match func(Out) bool) (Out, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	g, ctx := errgroup.WithContext(ctx)
	results := FanOut(ctx, g, Generate(ctx, g, items), n, f)
	for r := range results {
		if match(r) {
			cancel()     // the stages behind us stop, and close their channels
			_ = g.Wait() // their context.Canceled is ours: we asked for it
			return r, nil
		}
	}
	var zero Out
	if err := g.Wait(); err != nil {
		return zero, err
	}
	return zero, ErrNotFound
}
