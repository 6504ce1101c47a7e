// Mistake: Generate sends every item with a plain send and never looks at ctx.
//
// In Node a readable stream that nobody reads just stops being pulled, and
// is collected with the rest. A goroutine blocked on a send is not: once the
// consumer quits, Generate waits for ever, holding the items and its stack.
// A consumer that reads to the end never shows it.
//
// Replaces: chain.go
// Kind: deadlock or hang
// Expect: Generate ignores ctx

package pipelines

import (
	"context"

	"golang.org/x/sync/errgroup"
)

func Generate[T any](ctx context.Context, g *errgroup.Group, items []T) <-chan T {
	out := make(chan T)
	g.Go(func() error {
		defer close(out) // on every path: the next stage ranges over out
		for _, v := range items {
			out <- v // nobody may ever receive this
		}
		return nil
	})
	return out
}
