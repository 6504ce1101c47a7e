// Mistake: All returns at the first error without waiting for the others.
//
// It cancels the siblings, which is right, and returns at once, which is
// not: cancelling only asks them to stop. A call that needs a moment to
// hang up, or one that ignores its context, is still running after All
// returned, racing with a caller that believes the work is over.
//
// Replaces: all.go
// Kind: goroutine leak
// Expect: still running when All returned

package parallelcalls

import "context"

// All makes every call at the same time and returns their results in order,
// or the first error.
func All(ctx context.Context, calls []Call) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type answer struct {
		i   int
		r   string
		err error
	}
	answers := make(chan answer, len(calls))
	for i, call := range calls {
		go func() {
			r, err := Try(ctx, i, call)
			answers <- answer{i, r, err}
		}()
	}
	results := make([]string, len(calls))
	for range calls {
		a := <-answers
		if a.err != nil {
			return nil, a.err
		}
		results[a.i] = a.r
	}
	return results, nil
}
