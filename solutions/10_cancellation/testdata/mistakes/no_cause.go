// Mistake: the deadline is set with context.WithTimeout, which has no cause.
//
// context.Cause(ctx) is then plain context.DeadlineExceeded: the error says
// that some deadline passed, not which one. In a chain of services with
// deadlines of their own, that is the question you need answered.
//
// Replaces: quote.go
// Kind: test failed
// Expect: the deadline has no cause

package cancellation

import "context"

func Quote(ctx context.Context, svc PriceService, item string) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, QuoteBudget)
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
