// Mistake: Quote derives its context from context.Background(), not from ctx.
//
// The budget and the cause are right, but the link to the caller is cut:
// when the client goes away or the caller's shorter deadline passes, the
// calls go on for nobody until Quote's own deadline.
//
// Replaces: quote.go
// Kind: test failed
// Expect: not derived from the caller

package cancellation

import "context"

func Quote(ctx context.Context, svc PriceService, item string) (int, error) {
	ctx, cancel := context.WithTimeoutCause(context.Background(), QuoteBudget, ErrQuoteTimeout)
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
