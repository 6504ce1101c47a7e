package parallelcalls

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
)

// Task 1: the account page's two calls, 200ms and 300ms, take 300ms side by
// side, not 500ms one after another.
func TestAll_MakesCallsAtTheSameTime(t *testing.T) {
	katatest.Bubble(t, 1, func(t *testing.T) {
		services := []*service{newService("user", 200*time.Millisecond), newService("orders", 300*time.Millisecond)}
		o := run(t, "All", All, t.Context(), 1, services...)
		switch o.took {
		case 300 * time.Millisecond:
		case 500 * time.Millisecond:
			t.Error(katatest.Failure{
				Want:  "All takes 300ms, as long as the slowest call",
				Got:   "500ms, the sum of 200ms + 300ms",
				Means: "the calls ran one after another: each waited for the one before it (await in a loop). Start each in a goroutine of the group with g.Go",
				Hint:  1,
			})
		default:
			checkTook(t, "All", o, 300*time.Millisecond, "as long as the slowest call (user 200ms, orders 300ms)", 1)
		}
		if o.err != nil {
			t.Errorf("All returned the error %v; every call succeeded", o.err)
		}
		checkCalledOnce(t, "All", services...)
		checkResults(t, o.results, []string{"user", "orders"})
	})
}

// Task 1: results in the order of the calls, whichever finished first.
func TestAll_KeepsInputOrder(t *testing.T) {
	katatest.Bubble(t, 2, func(t *testing.T) {
		// The last call finishes first, the first call last.
		var services []*service
		for i, name := range []string{"user", "orders", "cart", "recommendations", "ads"} {
			services = append(services, newService(name, time.Duration(50-10*i)*time.Millisecond))
		}
		o := run(t, "All", All, t.Context(), 2, services...)
		if o.err != nil {
			t.Fatalf("All returned the error %v; every call succeeded", o.err)
		}
		checkResults(t, o.results, names(services))
	})
}

// Task 1: every call starts at once, however many there are. A pool of a
// few workers, or a limit of a few hundred, passes with 3 calls but not
// with 2,000: the calls wait, they do not compute. Fake time makes 2,000
// calls free. All the calls finish at the same instant, so their goroutines
// write their results at once: a shared slice written without
// synchronization is a data race every run.
func TestAll_ThousandsOfCalls(t *testing.T) {
	katatest.Bubble(t, 1, func(t *testing.T) {
		const n, each = 2000, 10 * time.Millisecond
		services := make([]*service, n)
		for i := range services {
			services[i] = newService(fmt.Sprint("item ", i), each)
		}
		o := run(t, "All", All, t.Context(), 1, services...)
		switch rounds := int(o.took / each); {
		case o.took == each:
		case o.took > each && o.took%each == 0:
			t.Error(katatest.Failure{
				Want: "2000 calls of 10ms take 10ms in all",
				Got: fmt.Sprintf("%v: %s of 10ms, as if at most %s ran at a time",
					o.took, katatest.Count(rounds, "round"), katatest.Count((n+rounds-1)/rounds, "call")),
				Means: "a limit on the calls in flight (g.SetLimit, a pool of workers, a semaphore): All must start every call at once. " +
					"Bounding the fan-out is lesson 13's subject; here every call waits for the network, so a limit only makes the page slower",
				Hint: 1,
			})
		default:
			checkTook(t, "All", o, each, "2000 calls of 10ms, side by side", 1)
		}
		if o.err != nil {
			t.Fatalf("All returned the error %v; every call succeeded", o.err)
		}
		checkResults(t, o.results, names(services))
	})
}

// Task 1: one call is a group of one.
func TestAll_OneCall(t *testing.T) {
	katatest.Bubble(t, 1, func(t *testing.T) {
		o := run(t, "All", All, t.Context(), 1, newService("user", 50*time.Millisecond))
		if o.err != nil {
			t.Fatalf("All returned the error %v; the call succeeded", o.err)
		}
		checkResults(t, o.results, []string{"user"})
		checkTook(t, "All", o, 50*time.Millisecond, "the one call takes 50ms", 1)

		errDown := errors.New("user service down")
		o = run(t, "All", All, t.Context(), 3, failing("user", 50*time.Millisecond, errDown))
		if o.err != errDown || o.results != nil {
			t.Error(katatest.Failure{
				Want:  fmt.Sprintf("nil, %q: the one call failed", errDown),
				Got:   fmt.Sprintf("%q, %v", o.results, o.err),
				Means: "an error was lost, or All returned results although a call failed: on error All returns nil and the error, unchanged",
				Hint:  3,
			})
		}
		checkTook(t, "All", o, 50*time.Millisecond, "the one call fails at 50ms", 3)
	})
}

// Task 1: no calls, nothing to wait for.
func TestAll_NoCalls(t *testing.T) {
	katatest.Bubble(t, 4, func(t *testing.T) {
		for _, cs := range [][]Call{nil, {}} {
			var got []string
			var err error
			took := katatest.Elapsed(func() { got, err = All(t.Context(), cs) })
			if got == nil || len(got) != 0 || err != nil || took != 0 {
				t.Error(katatest.Failure{
					Want:  fmt.Sprintf("All(ctx, %#v) returns an empty, non-nil slice and a nil error, at once", cs),
					Got:   fmt.Sprintf("%#v, %v after %v", got, err, took),
					Means: "with no calls there is nothing to wait for: All returns an empty result, not nil",
					Hint:  4,
				})
			}
		}
	})
}

// Task 2: the first error cancels the others at that instant, and All
// returns it at that instant.
func TestAll_FirstErrorCancelsTheOthers(t *testing.T) {
	katatest.Bubble(t, 3, func(t *testing.T) {
		errOrders := errors.New("orders: database unavailable")
		user := newService("user", 300*time.Millisecond)
		orders := failing("orders", 100*time.Millisecond, errOrders)
		recs := newService("recommendations", 500*time.Millisecond)
		parent, cancel := context.WithCancel(t.Context())
		defer cancel()
		o := run(t, "All", All, parent, 3, user, orders, recs)
		checkCalledOnce(t, "All", user, orders, recs)
		checkFirstError(t, o, errOrders, "orders fails at 100ms, user and recommendations are still working")
		checkCancelledAt(t, 100*time.Millisecond, "orders failed", parent, user, recs)
		if !t.Failed() {
			checkTook(t, "All", o, 100*time.Millisecond, "orders fails at 100ms and cancels the others, which stop at once", 3)
		}
	})
}

// checkFirstError fails the test unless All returned nil and exactly
// first, the error of the call that failed first (which story tells).
func checkFirstError(t *testing.T, o outcome, first error, story string) bool {
	t.Helper()
	if o.err == first && o.results == nil {
		return true
	}
	f := katatest.Failure{
		Want:  fmt.Sprintf("nil, %q: %s", first, story),
		Got:   fmt.Sprintf("%q, %v", head(o.results), o.err),
		Means: "All must return the first error, unchanged, and no results",
		Hint:  3,
	}
	switch {
	case o.err == nil:
		f.Means = "an error was lost: a call failed, and All reported success. The group's Wait returns the first error"
	case errors.Is(o.err, first):
		f.Means = "All returned the first error, but wrapped or joined with others: return the first error alone, as the group's Wait does"
	case errors.Is(o.err, context.DeadlineExceeded):
		f.Means = "not the first error: the caller's context ended after the first error, while All waited for the calls, " +
			"and All returned that instead. The first error came first; return what the group's Wait returns"
	case errors.Is(o.err, context.Canceled):
		f.Means = "not the first error: All returned the context error of a call that was cancelled because of the first error. " +
			"Keeping the last error (err = e in every goroutine), or the first by index, loses the one that matters; the group's Wait keeps the first in time"
	case o.err != first:
		f.Means = "not the first error: All must return the error of the call that failed first in time, not the first by index or the last"
	}
	t.Error(f)
	return false
}

// Task 2: an error on the last call, after the others succeeded.
func TestAll_ErrorOnTheLastCall(t *testing.T) {
	katatest.Bubble(t, 3, func(t *testing.T) {
		errAds := errors.New("ads: timeout upstream")
		services := []*service{
			newService("user", 100*time.Millisecond),
			newService("orders", 200*time.Millisecond),
			failing("ads", 300*time.Millisecond, errAds),
		}
		o := run(t, "All", All, t.Context(), 3, services...)
		checkFirstError(t, o, errAds, "user and orders succeed, but ads, the last call, fails at 300ms")
		checkTook(t, "All", o, 300*time.Millisecond, "the last call fails at 300ms", 3)
	})
}

// Task 2: "first" is first in time, not first in the list. legacy, the
// first call, ignores its context and fails later with an error of its own
// (not a context error): the first non-context error by index is legacy's,
// the first in time is cart's.
func TestAll_FirstInTimeNotInOrder(t *testing.T) {
	katatest.Bubble(t, 3, func(t *testing.T) {
		errLegacy := errors.New("legacy: mainframe offline")
		errSlow := errors.New("user: session store slow")
		errFast := errors.New("cart: bad request")
		parent := t.Context()
		legacy := failing("legacy", 200*time.Millisecond, errLegacy)
		legacy.stubborn = true
		user := failing("user", 200*time.Millisecond, errSlow)
		orders := newService("orders", 300*time.Millisecond)
		cart := failing("cart", 100*time.Millisecond, errFast)
		o := run(t, "All", All, parent, 3, legacy, user, orders, cart)
		checkFirstError(t, o, errFast, "cart, the last call, fails first, at 100ms; user would fail at 200ms, "+
			"and legacy, which ignores its context, does fail at 200ms")
		checkCancelledAt(t, 100*time.Millisecond, "cart failed", parent, user, orders)
		if checkNoneRunning(t, "All", o, 3) {
			checkTook(t, "All", o, 200*time.Millisecond, "cart fails at 100ms, but legacy ignores its context and fails only at 200ms", 3)
		}
	})
}

// Task 2: two calls fail at the same instant. The contract: the first is
// the one the group records first, so All returns exactly one of the two
// errors, unchanged, and cancels the rest at that instant.
func TestAll_TwoErrorsAtTheSameInstant(t *testing.T) {
	katatest.Bubble(t, 3, func(t *testing.T) {
		errOrders := errors.New("orders: database unavailable")
		errCart := errors.New("cart: database unavailable")
		parent := t.Context()
		user := newService("user", 300*time.Millisecond)
		orders := failing("orders", 100*time.Millisecond, errOrders)
		cart := failing("cart", 100*time.Millisecond, errCart)
		o := run(t, "All", All, parent, 3, user, orders, cart)
		if (o.err != errOrders && o.err != errCart) || o.results != nil {
			means := "All must return one error, unchanged: the first that the group recorded"
			switch {
			case o.err == nil:
				means = "an error was lost: two calls failed, and All reported success"
			case errors.Is(o.err, errOrders) && errors.Is(o.err, errCart):
				means = "All joined the errors: that is AllSettled's job. All returns the first error alone, as the group's Wait does"
			case errors.Is(o.err, context.Canceled):
				means = "not the first error: All returned the context error of a call that was cancelled after the failures"
			}
			t.Error(katatest.Failure{
				Want:  fmt.Sprintf("nil and either %q or %q, exactly: orders and cart fail at the same instant, 100ms", errOrders, errCart),
				Got:   fmt.Sprintf("%q, %v", o.results, o.err),
				Means: means,
				Hint:  3,
			})
		}
		checkCancelledAt(t, 100*time.Millisecond, "orders and cart failed", parent, user)
		checkTook(t, "All", o, 100*time.Millisecond, "two calls fail at 100ms, the third is cancelled then", 3)
	})
}

// Task 2: many calls fail at the same instant, each with an error of its
// own (and of its own type), and none of them listens to its context, so
// every one of them reaches the code that keeps the first error at once.
// The services share no lock: a first error kept in a variable without
// synchronization ("if first == nil { first = err }") is a data race on
// every run under -race.
func TestAll_ManyErrorsAtOnce(t *testing.T) {
	katatest.Bubble(t, 3, func(t *testing.T) {
		const n = 200
		services := make([]*service, n)
		errs := make([]error, n)
		for i := range services {
			name := fmt.Sprint("item ", i)
			switch i % 3 {
			case 0:
				errs[i] = errors.New(name + ": not found")
			case 1:
				errs[i] = fmt.Errorf("%s: %w", name, errNotFound)
			default:
				errs[i] = &statusError{name: name, code: 503}
			}
			services[i] = failing(name, 10*time.Millisecond, errs[i])
			services[i].stubborn = true
		}
		o := run(t, "All", All, t.Context(), 3, services...)
		one := false
		for _, e := range errs {
			one = one || o.err == e
		}
		if !one || o.results != nil {
			means := "All must return one of the errors, unchanged: the first that the group recorded"
			switch {
			case o.err == nil:
				means = "an error was lost: every call failed, and All reported success"
			case len(unwrapAll(o.err)) > 1:
				means = "All joined the errors: that is AllSettled's job. All returns the first error alone, as the group's Wait does"
			}
			t.Error(katatest.Failure{
				Want:  fmt.Sprintf("nil and exactly one of the %d errors: every call fails at the same instant, 10ms", n),
				Got:   fmt.Sprintf("%q, %v", head(o.results), o.err),
				Means: means,
				Hint:  3,
			})
		}
		checkTook(t, "All", o, 10*time.Millisecond, "every call fails at 10ms", 3)
	})
}

var errNotFound = errors.New("not found")

// A statusError is an error of another type than errors.New's.
type statusError struct {
	name string
	code int
}

func (e *statusError) Error() string { return fmt.Sprintf("%s: status %d", e.name, e.code) }

// Task 2: a call that takes long, but is still working, is not cut off:
// All has no time limit of its own. Only the caller's ctx and the first
// error cancel a call.
func TestAll_NoTimeLimitOfItsOwn(t *testing.T) {
	katatest.Bubble(t, 3, func(t *testing.T) {
		report := newService("report", 500*time.Hour) // three weeks: a batch report, say
		user := newService("user", 100*time.Millisecond)
		o := run(t, "All", All, t.Context(), 3, report, user)
		if _, _, cancelledAt, _ := report.state(); cancelledAt >= 0 || o.err != nil {
			t.Error(katatest.Failure{
				Want: "the results of both calls after 500h: nothing failed and the caller did not cancel",
				Got:  fmt.Sprintf("%v after %v; report saw its context done at %v", o.err, o.took, cancelledAt),
				Means: "All gave up on a call that was still working: a time limit of its own (context.WithTimeout " +
					"around the calls or around All). Only the caller's ctx and the first error may cancel a call",
				Hint: 3,
			})
			return
		}
		checkResults(t, o.results, []string{"report", "user"})
		checkTook(t, "All", o, 500*time.Hour, "report takes 500h, and nothing stops it", 3)
	})
}

// Task 2: after the first error, All waits until every call has returned:
// cancelled calls that take 10ms to hang up.
func TestAll_WaitsForCancelledCalls(t *testing.T) {
	katatest.Bubble(t, 3, func(t *testing.T) {
		errOrders := errors.New("orders: database unavailable")
		parent := t.Context()
		user := newService("user", 300*time.Millisecond)
		orders := failing("orders", 100*time.Millisecond, errOrders)
		recs := newService("recommendations", 500*time.Millisecond)
		user.hangUp, recs.hangUp = 10*time.Millisecond, 10*time.Millisecond
		o := run(t, "All", All, parent, 3, user, orders, recs)
		if checkNoneRunning(t, "All", o, 3) {
			checkTook(t, "All", o, 110*time.Millisecond,
				"orders fails at 100ms, and the cancelled calls need 10ms to hang up", 3)
		}
		checkFirstError(t, o, errOrders, "orders fails at 100ms")
		checkCancelledAt(t, 100*time.Millisecond, "orders failed", parent, user, recs)
	})
}

// Task 2: a call that ignores its context cannot be stopped; All waits for
// it, as its contract says, however long it takes (10 minutes: All has no
// give-up time of its own), and still cancels the others at once. The
// caller's deadline passes at 1 minute, while All waits: the first error
// is still the one All returns.
func TestAll_WaitsForACallThatIgnoresItsContext(t *testing.T) {
	katatest.Bubble(t, 3, func(t *testing.T) {
		errOrders := errors.New("orders: database unavailable")
		parent, cancel := context.WithTimeout(t.Context(), time.Minute)
		defer cancel()
		legacy := newService("legacy", 10*time.Minute)
		legacy.stubborn = true
		orders := failing("orders", 100*time.Millisecond, errOrders)
		recs := newService("recommendations", 500*time.Millisecond)
		o := run(t, "All", All, parent, 3, legacy, orders, recs)
		if checkNoneRunning(t, "All", o, 3) {
			checkTook(t, "All", o, 10*time.Minute,
				"orders fails at 100ms, but legacy ignores its context and returns only at 10m, however long that is", 3)
		}
		checkFirstError(t, o, errOrders, "orders fails at 100ms; neither the caller's deadline at 1m nor legacy's result at 10m changes that")
		checkCancelledAt(t, 100*time.Millisecond, "orders failed", parent, recs)
	})
}

// Task 2: the caller giving up cancels every call, whether its deadline
// passes or it cancels: both are errors. The cancelled calls take 10ms to
// hang up, and All waits for them.
func TestAll_ParentCancelled(t *testing.T) {
	for _, c := range parentEnds {
		t.Run(c.name, func(t *testing.T) {
			katatest.Bubble(t, 3, func(t *testing.T) {
				parent := c.parent(t, 150*time.Millisecond)
				user := newService("user", 300*time.Millisecond)
				orders := newService("orders", 500*time.Millisecond)
				user.hangUp, orders.hangUp = 10*time.Millisecond, 10*time.Millisecond
				o := run(t, "All", All, parent, 3, user, orders)
				if !errors.Is(o.err, c.err) || o.results != nil {
					means := "the caller's cancellation did not reach the calls: derive the group's context from ctx " +
						"(errgroup.WithContext(ctx), not context.Background()), so that the caller giving up stops them all"
					if o.err == nil {
						means = "the caller's cancel was swallowed: All reported success although its caller " + c.event +
							" and no call finished. A context error is an error like any other: return what Wait returns"
					}
					t.Error(katatest.Failure{
						Want:  fmt.Sprintf("nil and an error for which errors.Is(err, %v): the caller's context ends at 150ms (%s)", c.errName, c.event),
						Got:   fmt.Sprintf("%q, %v after %v", head(o.results), o.err, o.took),
						Means: means,
						Hint:  3,
					})
				}
				if checkCancelledAt(t, 150*time.Millisecond, "the caller "+c.event, nil, user, orders) && checkNoneRunning(t, "All", o, 3) {
					checkTook(t, "All", o, 160*time.Millisecond, "the caller's context ends at 150ms and the calls need 10ms to hang up", 3)
				}
			})
		})
	}
}

// parentEnds are the two ways a caller's context ends during a call.
var parentEnds = []struct {
	name, event, errName string
	err                  error
	parent               func(t *testing.T, after time.Duration) context.Context
}{
	{"deadline", "let its deadline pass", "context.DeadlineExceeded", context.DeadlineExceeded,
		func(t *testing.T, after time.Duration) context.Context {
			ctx, cancel := context.WithTimeout(t.Context(), after)
			t.Cleanup(cancel)
			return ctx
		}},
	{"cancel", "cancelled", "context.Canceled", context.Canceled,
		func(t *testing.T, after time.Duration) context.Context {
			ctx, cancel := context.WithCancel(t.Context())
			stop := time.AfterFunc(after, cancel)
			t.Cleanup(func() { stop.Stop(); cancel() })
			return ctx
		}},
}

// Task 2: a request that is already gone makes no call.
func TestAll_ParentAlreadyCancelled(t *testing.T) {
	katatest.Bubble(t, 4, func(t *testing.T) {
		parent, cancel := context.WithCancel(t.Context())
		cancel()
		services := []*service{newService("user", 200*time.Millisecond), newService("orders", 300*time.Millisecond)}
		o := run(t, "All", All, parent, 4, services...)
		made := 0
		for _, s := range services {
			n, _, _, _ := s.state()
			made += n
		}
		if made != 0 || o.err != context.Canceled || o.results != nil || o.took != 0 {
			means := "All started work for a caller that had already given up: check ctx.Err() before making any call"
			if made == 0 {
				means = "the caller gave up before All was called: return ctx.Err() at once"
			}
			t.Error(katatest.Failure{
				Want:  "nil, context.Canceled at once, and no call made: ctx was cancelled before All was called",
				Got:   fmt.Sprintf("%q, %v after %v, with %s made", o.results, o.err, o.took, katatest.Count(made, "call")),
				Means: means,
				Hint:  4,
			})
		}
	})
}
