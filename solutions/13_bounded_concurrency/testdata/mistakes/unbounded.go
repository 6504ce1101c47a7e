// Mistake: the errgroup has no limit: every call starts at once.
//
// errgroup.WithContext alone is Promise.all: it starts a goroutine per
// item the moment Go is called. With ten items nobody notices; with ten
// thousand the database sees ten thousand connections at once.
//
// Replaces: limit.go
// Kind: test failed
// Expect: unbounded fan-out

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
	for i := range n {
		g.Go(func() error {
			// This call may have waited for its slot while another failed
			// or the caller gave up: then it must not start.
			if err := ctx.Err(); err != nil {
				return err
			}
			return query(ctx, i)
		})
		if ctx.Err() != nil {
			break // stop early: start no more goroutines either
		}
	}
	return g.Wait()
}
