package cancellation

import (
	"context"
	"fmt"
	"time"
)

// A PriceService is the downstream service that Quote asks, in two steps.
// Both methods return early, with ctx.Err(), once ctx is done.
type PriceService interface {
	// Price returns the net price of item, in cents.
	Price(ctx context.Context, item string) (int, error)
	// Tax returns the tax due on a net price, in cents.
	Tax(ctx context.Context, net int) (int, error)
}

// QuoteBudget is how long Quote may take in all: both calls together, not
// each call.
const QuoteBudget = 100 * time.Millisecond

// ErrQuoteTimeout is the cause Quote gives its context's deadline. It wraps
// context.DeadlineExceeded, so errors.Is(err, context.DeadlineExceeded)
// holds for it too.
var ErrQuoteTimeout = fmt.Errorf("cancellation: price service took longer than %v: %w", QuoteBudget, context.DeadlineExceeded)

// Quote returns the gross price of item: the net price from svc.Price plus
// the tax on it from svc.Tax.
//
// Quote derives from ctx one context for both calls, with a deadline of
// QuoteBudget from now and ErrQuoteTimeout as the deadline's cause. The
// caller's own deadline, if earlier, and the caller's cancellation still
// apply. Whichever way Quote returns, success or error, that context is
// cancelled by the time Quote returns, so that no timer outlives the call.
//
// Errors: if the context is done when a call fails, Quote returns an error
// that wraps context.Cause of that context: ErrQuoteTimeout when the budget
// ran out, the caller's cause when the caller cancelled. Otherwise it
// returns an error that wraps the call's own error.
func Quote(ctx context.Context, svc PriceService, item string) (int, error) {
	ctx, cancel := context.WithTimeoutCause(ctx, QuoteBudget, ErrQuoteTimeout)
	defer cancel()

	net, err := svc.Price(ctx, item)
	if err != nil {
		return 0, quoteErr(ctx, "price", item, err)
	}
	tax, err := svc.Tax(ctx, net)
	if err != nil {
		return 0, quoteErr(ctx, "tax", item, err)
	}
	return net + tax, nil
}

// quoteErr explains why a step failed: the context's cause if it is done,
// the step's own error otherwise.
func quoteErr(ctx context.Context, step, item string, err error) error {
	if cause := context.Cause(ctx); cause != nil {
		return fmt.Errorf("quote %s: %s: %w", item, step, cause)
	}
	return fmt.Errorf("quote %s: %s: %w", item, step, err)
}
