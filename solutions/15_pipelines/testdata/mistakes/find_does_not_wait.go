// Mistake: Find cancels at the match and returns at once, without g.Wait.
//
// The cancel is right, and the stages stop a moment later. But they are
// still running when Find returns: the calls of f that were cancelled are
// hanging up, and a caller that closes a database next pulls it from under
// them.
//
// Replaces: find.go
// Kind: test failed
// Expect: Find returned without waiting for the pipeline

package pipelines

import (
	"context"

	"golang.org/x/sync/errgroup"
)

func Find[In, Out any](ctx context.Context, items []In, n int, f Func[In, Out], match func(Out) bool) (Out, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	g, ctx := errgroup.WithContext(ctx)
	results := FanOut(ctx, g, Generate(ctx, g, items), n, f)
	for r := range results {
		if match(r) {
			cancel() // they stop by themselves
			return r, nil
		}
	}
	var zero Out
	if err := g.Wait(); err != nil {
		return zero, err
	}
	return zero, ErrNotFound
}
