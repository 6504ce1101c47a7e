// Mistake: AllSettled drops the errors that are context.Canceled.
//
// "Aborted is not failed": the calls the caller cancelled report success
// with an empty result. A deadline still shows, so a test with a timeout
// alone passes; a caller that cancels gets nil and a row of "" results.
//
// Replaces: settled.go
// Kind: test failed
// Expect: its error was lost

package parallelcalls

import (
	"context"
	"errors"
	"sync"
)

func AllSettled(ctx context.Context, calls []Call) (results []string, err error) {
	results = make([]string, len(calls))
	if err := ctx.Err(); err != nil {
		return results, err
	}
	errs := make([]error, len(calls))
	var wg sync.WaitGroup
	for i, call := range calls {
		wg.Go(func() {
			r, err := Try(ctx, i, call)
			if errors.Is(err, context.Canceled) {
				err = nil // aborted, not failed
			}
			results[i], errs[i] = r, err
		})
	}
	wg.Wait()
	return results, errors.Join(errs...)
}
