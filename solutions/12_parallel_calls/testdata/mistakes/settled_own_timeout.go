// Mistake: AllSettled gives the calls a time limit of its own.
//
// "Settle, but not forever": a minute's timeout around every call. The
// caller decides how long it waits, with the ctx it passes; AllSettled
// cancels a long call that was still working and reports a deadline
// nobody set.
//
// Replaces: settled.go
// Kind: test failed
// Expect: a time limit of its own

package parallelcalls

import (
	"context"
	"errors"
	"sync"
	"time"
)

func AllSettled(ctx context.Context, calls []Call) (results []string, err error) {
	results = make([]string, len(calls))
	if err := ctx.Err(); err != nil {
		return results, err
	}
	ctx, cancel := context.WithTimeout(ctx, time.Minute) // settle, but not forever
	defer cancel()
	errs := make([]error, len(calls))
	var wg sync.WaitGroup
	for i, call := range calls {
		wg.Go(func() {
			results[i], errs[i] = Try(ctx, i, call)
		})
	}
	wg.Wait()
	return results, errors.Join(errs...)
}
