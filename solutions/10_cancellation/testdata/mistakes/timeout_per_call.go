// Mistake: each call gets its own timeout.
//
// Price and Tax each get a fresh QuoteBudget, so the chain as a whole can
// take twice the budget, and a third call would make it three times. The
// budget belongs to the request: derive one context and pass it down.
//
// Replaces: quote.go
// Kind: test failed
// Expect: each call got its own timeout

package cancellation

import "context"

func Quote(ctx context.Context, svc PriceService, item string) (int, error) {
	priceCtx, cancelPrice := context.WithTimeoutCause(ctx, QuoteBudget, ErrQuoteTimeout)
	defer cancelPrice()
	net, err := svc.Price(priceCtx, item)
	if err != nil {
		return 0, quoteErr(priceCtx, "price", item, err)
	}

	taxCtx, cancelTax := context.WithTimeoutCause(ctx, QuoteBudget, ErrQuoteTimeout)
	defer cancelTax()
	tax, err := svc.Tax(taxCtx, net)
	if err != nil {
		return 0, quoteErr(taxCtx, "tax", item, err)
	}
	return net + tax, nil
}
