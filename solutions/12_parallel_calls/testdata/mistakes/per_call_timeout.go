// Mistake: every call gets a time limit of its own, 30 seconds.
//
// A default timeout per backend call looks prudent, and no call of an
// account page takes 30 seconds. But All's contract gives every call the
// group's context: only the caller and the first error cancel a call. A
// long report that was still working is cut off, and All fails with a
// deadline that nobody asked for.
//
// Replaces: all.go
// Kind: test failed
// Expect: a time limit of its own

package parallelcalls

import (
	"context"
	"time"

	"golang.org/x/sync/errgroup"
)

func All(ctx context.Context, calls []Call) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	g, ctx := errgroup.WithContext(ctx)
	results := make([]string, len(calls))
	for i, call := range calls {
		g.Go(func() error {
			// a sane default: no backend call should take more than 30s
			cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
			defer cancel()
			r, err := Try(cctx, i, call)
			results[i] = r
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return results, nil
}
