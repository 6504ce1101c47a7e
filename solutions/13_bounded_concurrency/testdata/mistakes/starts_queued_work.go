// Mistake: the calls queued behind a failure still start, with a cancelled context.
//
// errgroup.WithContext cancels the context at the first error, but g.Go
// still runs every function it is handed once a slot frees. Each queued
// call then reaches the database with a dead context: cheap for a fake,
// not for a real driver that opens a connection first.
//
// Replaces: limit.go
// Kind: test failed
// Expect: queued work started after the error

package boundedconcurrency

import (
	"context"

	"golang.org/x/sync/errgroup"
)

func ForEach(ctx context.Context, n, limit int, query Query) error {
	if limit < 1 {
		return ErrLimit
	}
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(limit) // g.Go now waits for a free slot before it starts a goroutine
	for i := range n {
		g.Go(func() error {
			return query(ctx, i)
		})
	}
	return g.Wait()
}
