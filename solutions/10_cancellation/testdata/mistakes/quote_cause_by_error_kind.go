// Mistake: Quote decides from the error, not from the context, whether the context ended.
//
// `if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled)`
// then returns context.Cause(ctx). It works while only the context makes
// those errors, but a service whose own upstream timed out returns an error
// that wraps context.DeadlineExceeded too, while Quote's context is live:
// the cause is then nil, and the service's error is lost.
//
// Replaces: quote.go
// Kind: test failed
// Expect: Quote lost the service's error

package cancellation

import (
	"context"
	"errors"
	"fmt"
)

// quoteErr returns the context's cause for an error of the context.
func quoteErr(ctx context.Context, step, item string, err error) error {
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return fmt.Errorf("quote %s: %s: %w", item, step, context.Cause(ctx))
	}
	return fmt.Errorf("quote %s: %s: %w", item, step, err)
}
