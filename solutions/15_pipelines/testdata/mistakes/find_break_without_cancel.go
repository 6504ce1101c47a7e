// Mistake: Find stops reading at the match, without cancelling.
//
// In Node, breaking out of a for await loop over a stream destroys the
// stream for you. A Go range loop does nothing of the kind: the workers
// still hold results nobody will receive and Generate still waits to
// send. g.Wait waits for them, until some deadline ends the context.
//
// Replaces: find.go
// Kind: test failed
// Expect: a consumer that quits early without cancelling leaves the producers blocked

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
			_ = g.Wait()
			return r, nil
		}
	}
	var zero Out
	if err := g.Wait(); err != nil {
		return zero, err
	}
	return zero, ErrNotFound
}
