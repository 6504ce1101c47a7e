// Mistake: the context is cancelled only on the success path.
//
// cancel() sits at the end of the happy path, so every early return leaves
// the context alive until its deadline: its timer, and everything
// registered on it, outlive the call. go vet's lostcancel check reports it,
// but the tests pass on the happy path, which is why it ships.
//
// Replaces: quote.go
// Kind: test failed
// Expect: never cancelled on an error path

package cancellation

import "context"

func Quote(ctx context.Context, svc PriceService, item string) (int, error) {
	ctx, cancel := context.WithTimeoutCause(ctx, QuoteBudget, ErrQuoteTimeout)

	net, err := svc.Price(ctx, item)
	if err != nil {
		return 0, quoteErr(ctx, "price", item, err)
	}
	tax, err := svc.Tax(ctx, net)
	if err != nil {
		return 0, quoteErr(ctx, "tax", item, err)
	}
	cancel() // done with the calls
	return net + tax, nil
}
