package pipelines

import (
	"context"
	"errors"
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
	// TODO: build Generate → FanOut in an errgroup whose context you can
	// cancel; range over the results; on a match cancel, wait for the
	// group and return the match; otherwise return g.Wait()'s error or
	// ErrNotFound.
	var zero Out
	return zero, nil
}
