// Mistake: Find ignores g.Wait's error when nothing matched.
//
// The results channel closes as well after a failure or a cancel as after
// the last item, so "no match" is not proof that every item was looked at.
// The error is in g.Wait, and only there.
//
// Replaces: find.go
// Kind: test failed
// Expect: a middle-stage error was lost

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
			cancel()     // the stages behind us stop, and close their channels
			_ = g.Wait() // their context.Canceled is ours: we asked for it
			return r, nil
		}
	}
	var zero Out
	_ = g.Wait()
	return zero, ErrNotFound
}
