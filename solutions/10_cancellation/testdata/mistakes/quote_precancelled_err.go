// Mistake: a shortcut for a context that is already done returns ctx.Err().
//
// `if ctx.Err() != nil { return 0, ctx.Err() }` at the top of Quote saves
// two calls, but "context canceled" does not say why: the caller's cause is
// lost, although a cancel during the call reports it. The services return
// at once on a done context, so no shortcut is needed.
//
// Replaces: quote.go
// Kind: test failed
// Expect: already-cancelled context

package cancellation

import (
	"context"
	"fmt"
)

func Quote(ctx context.Context, svc PriceService, item string) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, fmt.Errorf("quote %s: %w", item, err)
	}
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
