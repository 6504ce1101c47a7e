// Mistake: AllSettled cancels the other calls at the first error.
//
// errgroup.WithContext is the right tool for All and the wrong one here:
// the first failure cancels everyone, so the calls that would have
// succeeded are cut off and their results lost. That is Promise.all with
// the errors collected, not Promise.allSettled.
//
// Replaces: settled.go
// Kind: test failed
// Expect: AllSettled cancelled the other calls

package parallelcalls

import (
	"context"
	"errors"

	"golang.org/x/sync/errgroup"
)

// AllSettled makes every call at the same time and lets every one settle.
func AllSettled(ctx context.Context, calls []Call) ([]string, error) {
	results := make([]string, len(calls))
	if err := ctx.Err(); err != nil {
		return results, err
	}
	g, ctx := errgroup.WithContext(ctx)
	errs := make([]error, len(calls))
	for i, call := range calls {
		g.Go(func() error {
			results[i], errs[i] = Try(ctx, i, call)
			return errs[i]
		})
	}
	_ = g.Wait()
	return results, errors.Join(errs...)
}
