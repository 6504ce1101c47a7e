// Mistake: Find returns g.Wait's error with the match.
//
// After Find cancels, every stage returns context.Canceled, so g.Wait does
// too. That error is Find's own request to stop, not a failure, and
// returning it turns every successful search into an error.
//
// Replaces: find.go
// Kind: test failed
// Expect: the context.Canceled of the stages is the cancel Find asked for

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
			cancel()
			return r, g.Wait()
		}
	}
	var zero Out
	if err := g.Wait(); err != nil {
		return zero, err
	}
	return zero, ErrNotFound
}
