// Mistake: Quote returns the service's error, which is ctx.Err(), not the cause.
//
// The context has the right cause, but the caller never sees it: the
// service returns ctx.Err(), "context deadline exceeded", and Quote passes
// that on. Whose deadline was it? context.Cause(ctx) would have said.
//
// Replaces: quote.go
// Removes: quoteErr
// Kind: test failed
// Expect: instead of the cause

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
		return 0, fmt.Errorf("quote %s: price: %w", item, err)
	}
	tax, err := svc.Tax(ctx, net)
	if err != nil {
		return 0, fmt.Errorf("quote %s: tax: %w", item, err)
	}
	return net + tax, nil
}
