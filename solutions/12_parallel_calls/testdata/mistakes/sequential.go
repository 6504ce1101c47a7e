// Mistake: the calls are made one after another.
//
// This is await in a loop: each call waits for the one before it, so the
// page takes the sum of the calls (200ms + 300ms = 500ms) instead of the
// slowest (300ms). Results are in order and errors are right, which is why
// it looks fine in a test that only checks values.
//
// Replaces: all.go
// Kind: test failed
// Expect: the calls ran one after another

package parallelcalls

import "context"

// All makes every call at the same time and returns their results in order,
// or the first error.
func All(ctx context.Context, calls []Call) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	results := make([]string, len(calls))
	for i, call := range calls {
		r, err := Try(ctx, i, call)
		if err != nil {
			return nil, err
		}
		results[i] = r
	}
	return results, nil
}
