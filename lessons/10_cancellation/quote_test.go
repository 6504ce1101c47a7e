package cancellation

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
)

// A fakePrices is a PriceService whose steps take a set time and return
// early, with ctx.Err(), when their context is done. It records the context
// each step was given and when that context was done.
type fakePrices struct {
	begin                    time.Time
	priceLatency, taxLatency time.Duration
	priceErr, taxErr         error

	mu    sync.Mutex // protects steps and the fields of every step
	steps []*step
}

// A step is one call to Price or Tax.
type step struct {
	name   string
	ctx    context.Context
	doneAt time.Duration // when ctx was done, since the test began; -1 while live
	cause  error         // context.Cause(ctx) when it was done
}

const netPrice, tax = 4000, 800 // cents: a kettle, and 20% tax on it

func newFakePrices(price, tax time.Duration) *fakePrices {
	return &fakePrices{begin: time.Now(), priceLatency: price, taxLatency: tax}
}

func (f *fakePrices) Price(ctx context.Context, item string) (int, error) {
	return f.run(ctx, "Price", f.priceLatency, netPrice, f.priceErr)
}

func (f *fakePrices) Tax(ctx context.Context, net int) (int, error) {
	return f.run(ctx, "Tax", f.taxLatency, net/5, f.taxErr)
}

func (f *fakePrices) run(ctx context.Context, name string, latency time.Duration, v int, err error) (int, error) {
	s := &step{name: name, ctx: ctx, doneAt: -1}
	f.mu.Lock()
	f.steps = append(f.steps, s)
	f.mu.Unlock()
	context.AfterFunc(ctx, func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		s.doneAt = time.Since(f.begin)
		s.cause = context.Cause(ctx)
	})

	timer := time.NewTimer(latency)
	defer timer.Stop()
	select {
	case <-timer.C:
		if err != nil {
			return 0, err
		}
		return v, nil
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

// step returns the call to the named step, or nil if there was none.
func (f *fakePrices) step(name string) *step {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, s := range f.steps {
		if s.name == name {
			return s
		}
	}
	return nil
}

// done returns when s's context was done (-1 if not yet) and its cause. It
// first lets the AfterFunc that records them run, so it must be called from
// the test's goroutine in the bubble.
func (f *fakePrices) done(s *step) (time.Duration, error) {
	synctest.Wait()
	f.mu.Lock()
	defer f.mu.Unlock()
	return s.doneAt, s.cause
}

// deadline returns the deadline of s's context, since the test began, or
// -1 if it has none.
func (f *fakePrices) deadline(s *step) time.Duration {
	d, ok := s.ctx.Deadline()
	if !ok {
		return -1
	}
	return d.Sub(f.begin)
}

// Task 1: the happy path adds the tax.
func TestQuote_AddsTheTax(t *testing.T) {
	katatest.Bubble(t, 1, func(t *testing.T) {
		svc := newFakePrices(ms(30), ms(20))
		var got int
		var err error
		took := katatest.Elapsed(func() { got, err = Quote(context.Background(), svc, "kettle") })
		if got != netPrice+tax || err != nil || took != ms(50) {
			t.Error(katatest.Failure{
				Want:  fmt.Sprintf("Quote returns %d, nil after 50ms (Price 30ms, then Tax 20ms)", netPrice+tax),
				Got:   fmt.Sprintf("%d, %s after %v", got, errText(err), took),
				Means: "Quote must ask for the net price, then for the tax on it, and return their sum",
				Hint:  1,
			})
		}
	})
}

// Task 1: one deadline for the whole chain, not one per call.
func TestQuote_OneBudgetForTheChain(t *testing.T) {
	katatest.Bubble(t, 1, func(t *testing.T) {
		svc := newFakePrices(ms(60), ms(60))
		var got int
		var err error
		took := katatest.Elapsed(func() { got, err = Quote(context.Background(), svc, "kettle") })

		price, taxStep := svc.step("Price"), svc.step("Tax")
		if price == nil || taxStep == nil {
			t.Fatalf("Quote must call Price, then Tax (got Price: %v, Tax: %v)", price != nil, taxStep != nil)
		}
		pd, td := svc.deadline(price), svc.deadline(taxStep)
		switch {
		case pd < 0:
			t.Error(katatest.Failure{
				Want:  "the context Price gets has a deadline 100ms (QuoteBudget) after Quote was called",
				Got:   fmt.Sprintf("no deadline; Quote returned %d, %s after %v", got, errText(err), took),
				Means: "Quote set no deadline: a slow price service holds the caller for as long as it likes",
				Hint:  1,
			})
		case pd != QuoteBudget || td != QuoteBudget:
			t.Error(katatest.Failure{
				Want: "Price and Tax both get a context whose deadline is 100ms after Quote was called",
				Got:  fmt.Sprintf("Price's deadline is at %v, Tax's at %v", pd, td),
				Means: "each call got its own timeout: Price may use 100ms and Tax another 100ms, so the chain " +
					"can take 200ms. Derive one context at the top and pass that same context down the chain",
				Hint: 1,
			})
		}
		if took != QuoteBudget || err == nil {
			t.Error(katatest.Failure{
				Want:  "Quote fails exactly at 100ms: Price took 60ms, so Tax has 40ms left, not 60ms",
				Got:   fmt.Sprintf("%d, %s after %v", got, errText(err), took),
				Means: "the budget is for the whole call chain; a quote that comes after it is too late",
				Hint:  1,
			})
		} else if !errors.Is(err, context.DeadlineExceeded) {
			t.Error(katatest.Failure{
				Want:  "errors.Is(err, context.DeadlineExceeded) holds for the error Quote returns at its deadline",
				Got:   errText(err),
				Means: "callers test for a timeout with errors.Is(err, context.DeadlineExceeded); wrap the error with %w",
				Hint:  2,
			})
		} else if _, cause := svc.done(taxStep); errors.Is(cause, ErrQuoteTimeout) && !errors.Is(err, ErrQuoteTimeout) {
			t.Error(katatest.Failure{
				Want: "when the budget runs out during Tax, the second call, Quote returns an error that wraps ErrQuoteTimeout, " +
					"the cause of Tax's context",
				Got: errText(err),
				Means: "the cause is lost on the Tax path: Quote returned the Tax call's error, which is ctx.Err(), " +
					"instead of the cause. Explain the second call's failure the same way as the first's: " +
					"context.Cause(ctx) when the context is done",
				Hint: 2,
			})
		}
	})
}

// Task 1: the error at the deadline says why: its cause.
func TestQuote_ReturnsTheCause(t *testing.T) {
	katatest.Bubble(t, 2, func(t *testing.T) {
		svc := newFakePrices(ms(200), ms(10))
		var got int
		var err error
		took := katatest.Elapsed(func() { got, err = Quote(context.Background(), svc, "kettle") })

		price := svc.step("Price")
		if price == nil {
			t.Fatal("Quote never called Price")
		}
		at, cause := svc.done(price)
		switch {
		case at != QuoteBudget:
			when := "was never done"
			if at >= 0 {
				when = fmt.Sprintf("was done at %v", at)
			}
			t.Fatal(katatest.Failure{
				Want:  "the context Price gets is done at 100ms (QuoteBudget), as Price needs 200ms",
				Got:   fmt.Sprintf("Quote returned %d, %s after %v; Price's context %s", got, errText(err), took, when),
				Means: "Quote set no deadline for its calls: derive a context with a timeout and its cause",
				Hint:  1,
			})
		case !errors.Is(cause, ErrQuoteTimeout):
			t.Error(katatest.Failure{
				Want: "context.Cause of Price's context is ErrQuoteTimeout",
				Got:  errText(cause),
				Means: "the deadline has no cause: context.WithTimeout only says \"deadline exceeded\", not whose " +
					"deadline it was. context.WithTimeoutCause(ctx, QuoteBudget, ErrQuoteTimeout) says why",
				Hint: 2,
			})
		}
		switch {
		case errors.Is(err, ErrQuoteTimeout) && errors.Is(err, context.DeadlineExceeded):
		case errors.Is(err, context.DeadlineExceeded):
			t.Error(katatest.Failure{
				Want: "Quote returns an error that wraps ErrQuoteTimeout, so errors.Is(err, ErrQuoteTimeout) holds",
				Got:  errText(err),
				Means: "Quote returned ctx.Err() instead of the cause (or the service's copy of ctx.Err()): " +
					"\"context deadline exceeded\" does not say whose deadline. Return context.Cause(ctx)",
				Hint: 2,
			})
		default:
			t.Error(katatest.Failure{
				Want:  "Quote returns an error that wraps ErrQuoteTimeout, which wraps context.DeadlineExceeded",
				Got:   errText(err),
				Means: "when the budget runs out, the error must say so: return context.Cause(ctx)",
				Hint:  2,
			})
		}
	})
}

// Task 1: the context Quote derives is cancelled whichever way Quote returns.
func TestQuote_CancelsOnEveryPath(t *testing.T) {
	errOutOfStock := errors.New("kettle: out of stock")
	errNoTaxRate := errors.New("no tax rate for this region")
	// The tax service's own upstream timed out: its error wraps
	// context.DeadlineExceeded, but Quote's context is live.
	errTaxUpstream := fmt.Errorf("tax service: rates backend: %w", context.DeadlineExceeded)
	for _, c := range []struct {
		path     string
		priceErr error
		taxErr   error
		last     string // the step that ran last
		want     error
		at       time.Duration
	}{
		{"success", nil, nil, "Tax", nil, ms(50)},
		{"Price failed", errOutOfStock, nil, "Price", errOutOfStock, ms(30)},
		{"Tax failed", nil, errNoTaxRate, "Tax", errNoTaxRate, ms(50)},
		{"Tax timed out on its own", nil, errTaxUpstream, "Tax", errTaxUpstream, ms(50)},
	} {
		katatest.Bubble(t, 1, func(t *testing.T) {
			svc := newFakePrices(ms(30), ms(20))
			svc.priceErr, svc.taxErr = c.priceErr, c.taxErr
			parent, stop := context.WithCancel(context.Background())
			defer stop()
			var err error
			took := katatest.Elapsed(func() { _, err = Quote(parent, svc, "kettle") })
			switch {
			case (c.want == nil) != (err == nil) || !errors.Is(err, c.want):
				t.Error(katatest.Failure{
					Want: fmt.Sprintf("on the %s path Quote returns %s (wrapped or not)", c.path, errText(c.want)),
					Got:  errText(err),
					Means: "Quote lost the service's error. While the context is live its cause is nil, and a " +
						"deferred cancel runs only after the return statement: return the call's own error then. " +
						"Ask the context whether it is done (context.Cause(ctx) != nil), not the error: a service's " +
						"own timeout wraps context.DeadlineExceeded too",
					Hint: 2,
				})
			case took != c.at:
				t.Error(katatest.Failure{
					Want:  fmt.Sprintf("on the %s path Quote returns after %v", c.path, c.at),
					Got:   took.String(),
					Means: "Quote must return as soon as a step fails, and Tax must run only after Price succeeded",
					Hint:  1,
				})
			}

			s := svc.step(c.last)
			if s == nil {
				t.Fatalf("Quote never called %s", c.last)
			}
			if s.ctx.Err() != nil {
				return
			}
			if s.ctx == parent {
				t.Error(katatest.Failure{
					Want:  "Quote calls the service with a context of its own, derived from the caller's",
					Got:   "it passed the caller's context on as it is",
					Means: "Quote has no deadline of its own to give the calls, and nothing of its own to cancel",
					Hint:  1,
				})
				return
			}
			katatest.Advance(time.Hour) // when is that context done, if ever?
			at, _ := svc.done(s)
			later := "never"
			if at >= 0 {
				later = fmt.Sprintf("only at %v, when its deadline passed", at)
			}
			t.Error(katatest.Failure{
				Want:  fmt.Sprintf("the context %s got is cancelled by the time Quote returns (%s path)", c.last, c.path),
				Got:   "it was still live when Quote returned; it was done " + later,
				Means: leakedContext(c.path),
				Hint:  1,
			})
		})
	}
}

// Task 1: the caller's cancellation and the caller's shorter deadline win.
func TestQuote_CallerCancels(t *testing.T) {
	errClientGone := errors.New("client closed the connection")
	katatest.Bubble(t, 2, func(t *testing.T) {
		svc := newFakePrices(ms(60), ms(20))
		parent, cancel := context.WithCancelCause(context.Background())
		defer cancel(nil)
		time.AfterFunc(ms(30), func() { cancel(errClientGone) })
		var got int
		var err error
		took := katatest.Elapsed(func() { got, err = Quote(parent, svc, "kettle") })
		switch {
		case took != ms(30):
			t.Error(katatest.Failure{
				Want: "Quote returns at 30ms, the instant the caller cancels its context",
				Got:  fmt.Sprintf("%d, %s after %v", got, errText(err), took),
				Means: "Quote's context is not derived from the caller's context, so cancelling the request did " +
					"not stop the calls. Derive from ctx, never from context.Background()",
				Hint: 1,
			})
		case !errors.Is(err, errClientGone) || errors.Is(err, ErrQuoteTimeout):
			t.Error(katatest.Failure{
				Want:  fmt.Sprintf("an error that wraps the caller's cause %s, and not ErrQuoteTimeout", errText(errClientGone)),
				Got:   errText(err),
				Means: "Quote must report why its context ended: context.Cause(ctx) gives the caller's cause when the caller cancelled",
				Hint:  2,
			})
		}
	})
	katatest.Bubble(t, 2, func(t *testing.T) {
		svc := newFakePrices(ms(60), ms(20))
		parent, cancel := context.WithTimeout(context.Background(), ms(50))
		defer cancel()
		var err error
		took := katatest.Elapsed(func() { _, err = Quote(parent, svc, "kettle") })
		if took != ms(50) || !errors.Is(err, context.DeadlineExceeded) || errors.Is(err, ErrQuoteTimeout) {
			t.Error(katatest.Failure{
				Want: "with a caller's deadline of 50ms, Quote fails at 50ms with context.DeadlineExceeded, not ErrQuoteTimeout",
				Got:  fmt.Sprintf("%s after %v", errText(err), took),
				Means: "a derived context never outlives its parent, and its cause is the parent's when the parent " +
					"ends first. Return context.Cause(ctx) rather than ErrQuoteTimeout for every timeout",
				Hint: 2,
			})
		}
	})
	// The caller cancels during Tax, the second call.
	katatest.Bubble(t, 2, func(t *testing.T) {
		svc := newFakePrices(ms(30), ms(60))
		parent, cancel := context.WithCancelCause(context.Background())
		defer cancel(nil)
		time.AfterFunc(ms(50), func() { cancel(errClientGone) })
		var err error
		took := katatest.Elapsed(func() { _, err = Quote(parent, svc, "kettle") })
		if took != ms(50) || !errors.Is(err, errClientGone) {
			t.Error(katatest.Failure{
				Want: fmt.Sprintf("the caller cancels at 50ms, during Tax: Quote fails at 50ms with an error that wraps %s",
					errText(errClientGone)),
				Got: fmt.Sprintf("%s after %v", errText(err), took),
				Means: "the cause is lost when the second call fails: Quote returned Tax's error, which is ctx.Err(), " +
					"instead of context.Cause(ctx). Explain every call's failure the same way",
				Hint: 2,
			})
		}
	})
	// The caller's context is already done when Quote is called.
	katatest.Bubble(t, 2, func(t *testing.T) {
		svc := newFakePrices(ms(30), ms(20))
		parent, cancel := context.WithCancelCause(context.Background())
		cancel(errClientGone)
		var got int
		var err error
		took := katatest.Elapsed(func() { got, err = Quote(parent, svc, "kettle") })
		if took != 0 || got != 0 || !errors.Is(err, errClientGone) {
			t.Error(katatest.Failure{
				Want: fmt.Sprintf("with a caller's context already cancelled, Quote returns at once (0s) with an error "+
					"that wraps the caller's cause %s", errText(errClientGone)),
				Got: fmt.Sprintf("%d, %s after %v", got, errText(err), took),
				Means: "already-cancelled context: the error must say why, as for a cancel during the call. A shortcut " +
					"`if ctx.Err() != nil { return 0, ctx.Err() }` says only \"context canceled\"; none is needed, " +
					"since the services return at once on a done context. Return context.Cause(ctx)",
				Hint: 2,
			})
		}
	})
}

// leakedContext explains a context that Quote left live on the named path.
func leakedContext(path string) string {
	what := "context never cancelled on an error path"
	if path == "success" {
		what = "context not cancelled on the success path"
	}
	return what + ": its timer stays alive until the deadline (a leaked context). Call `defer cancel()` on " +
		"the line after creating it, so that every return cancels it. (go vet's lostcancel check reports this too)"
}
