// Mistake: the cause is returned when Price fails, but not when Tax fails.
//
// Price's error is explained with context.Cause, Tax's is passed on as it
// is: when the budget runs out during Tax, or the caller cancels then, the
// error is the service's copy of ctx.Err(), "context deadline exceeded",
// which does not say whose deadline it was. An error in the second stage.
//
// Replaces: quote.go
// Removes: quoteErr
// Kind: test failed
// Expect: the cause is lost

package cancellation

import (
	"context"
	"fmt"
)

func Quote(ctx context.Context, svc PriceService, item string) (int, error) {
	ctx, cancel := context.WithTimeoutCause(ctx, QuoteBudget, ErrQuoteTimeout)
	defer cancel()

	net, err := svc.Price(ctx, item)
	if err != nil {
		if cause := context.Cause(ctx); cause != nil {
			return 0, fmt.Errorf("quote %s: price: %w", item, cause)
		}
		return 0, fmt.Errorf("quote %s: price: %w", item, err)
	}
	tax, err := svc.Tax(ctx, net)
	if err != nil {
		return 0, fmt.Errorf("quote %s: tax: %w", item, err)
	}
	return net + tax, nil
}
