// Mistake: Find keeps the first match and drains the rest of the results.
//
// Draining does end every stage, which is why it passes a leak check. But
// it makes every call for a result already found: a search that could stop
// after eight calls makes a thousand.
//
// Replaces: find.go
// Kind: test failed
// Expect: drained the pipeline instead of stopping it

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
	var (
		first Out
		found bool
	)
	for r := range results { // read to the end, so nobody stays blocked
		if !found && match(r) {
			first, found = r, true
		}
	}
	if found {
		return first, nil
	}
	var zero Out
	if err := g.Wait(); err != nil {
		return zero, err
	}
	return zero, ErrNotFound
}
