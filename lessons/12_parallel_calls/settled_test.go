package parallelcalls

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
)

// Task 3: side by side as well: 200ms and 300ms take 300ms.
func TestAllSettled_MakesCallsAtTheSameTime(t *testing.T) {
	katatest.Bubble(t, 5, func(t *testing.T) {
		services := []*service{newService("user", 200*time.Millisecond), newService("orders", 300*time.Millisecond)}
		o := run(t, "AllSettled", AllSettled, t.Context(), 5, services...)
		if o.took == 500*time.Millisecond {
			t.Error(katatest.Failure{
				Want:  "AllSettled takes 300ms, as long as the slowest call",
				Got:   "500ms, the sum of 200ms + 300ms",
				Means: "the calls ran one after another: start each in a goroutine of its own",
				Hint:  5,
			})
		} else {
			checkTook(t, "AllSettled", o, 300*time.Millisecond, "as long as the slowest call (user 200ms, orders 300ms)", 5)
		}
		if o.err != nil {
			t.Errorf("AllSettled returned the error %v; every call succeeded", o.err)
		}
		checkCalledOnce(t, "AllSettled", services...)
		checkResults(t, o.results, []string{"user", "orders"})
	})
}

// Task 3: a failure stops nobody: every call runs to its end, and every
// result that was got is returned.
func TestAllSettled_EveryCallSettles(t *testing.T) {
	katatest.Bubble(t, 5, func(t *testing.T) {
		errOrders := errors.New("orders: database unavailable")
		user := newService("user", 300*time.Millisecond)
		orders := failing("orders", 100*time.Millisecond, errOrders)
		recs := newService("recommendations", 500*time.Millisecond)
		o := run(t, "AllSettled", AllSettled, t.Context(), 5, user, orders, recs)
		checkCalledOnce(t, "AllSettled", user, orders, recs)
		if checkNotCancelled(t, user, recs) && checkNoneRunning(t, "AllSettled", o, 5) {
			checkTook(t, "AllSettled", o, 500*time.Millisecond, "every call settles, the slowest at 500ms", 5)
		}
		if !errors.Is(o.err, errOrders) {
			t.Error(katatest.Failure{
				Want:  fmt.Sprintf("an error for which errors.Is(err, %q)", errOrders),
				Got:   fmt.Sprint(o.err),
				Means: "errors were lost: orders failed, and AllSettled's error does not say so",
				Hint:  5,
			})
		}
		checkResults(t, o.results, []string{"user", "", "recommendations"})
	})
}

// Task 3: every error is kept, in the order of the calls, not the order
// they failed in.
func TestAllSettled_KeepsEveryError(t *testing.T) {
	katatest.Bubble(t, 5, func(t *testing.T) {
		errOrders := errors.New("orders: database unavailable")
		errAds := errors.New("ads: timeout upstream")
		services := []*service{
			newService("user", 50*time.Millisecond),
			failing("orders", 300*time.Millisecond, errOrders),
			newService("cart", 200*time.Millisecond),
			failing("ads", 100*time.Millisecond, errAds),
		}
		o := run(t, "AllSettled", AllSettled, t.Context(), 5, services...)
		checkErrors(t, o.err, []error{errOrders, errAds}, "orders (call 1) fails at 300ms, ads (call 3) at 100ms")
		checkResults(t, o.results, []string{"user", "", "cart", ""})
	})
}

// checkErrors fails the test unless err joins want, in that order (each
// may be wrapped).
func checkErrors(t *testing.T, err error, want []error, story string) bool {
	t.Helper()
	got := unwrapAll(err)
	inOrder := len(got) == len(want)
	for i := 0; inOrder && i < len(want); i++ {
		inOrder = errors.Is(got[i], want[i])
	}
	if inOrder {
		return true
	}
	lost := 0
	for _, w := range want {
		if !errors.Is(err, w) {
			lost++
		}
	}
	f := katatest.Failure{
		Want: fmt.Sprintf("an error that joins the %s, in the order of the calls: %s",
			katatest.Count(len(want), "failure"), story),
		Means: "errors out of order: join them in the order of the calls (errs[i] for call i), not in the order they failed, " +
			"so that the caller can tell which call each one belongs to",
		Hint: 5,
	}
	if len(want) <= 5 {
		f.Got = fmt.Sprintf("%v (joins %s)", err, errorList(got))
	} else {
		f.Got = fmt.Sprintf("an error that joins %s", katatest.Count(len(got), "error"))
	}
	if lost > 0 {
		f.Means = fmt.Sprintf("errors were lost: %d of the %d failures cannot be found with errors.Is. "+
			"Keeping one error (err = e in every goroutine) keeps only the last; give each call a slot of its own and join them all (errors.Join)",
			lost, len(want))
	}
	t.Error(f)
	return false
}

// Task 3: 2,000 calls, every third failing, all at the same instant: 10ms,
// every result and every error kept. Their goroutines write at once, so a
// shared slice written without synchronization is a data race every run.
func TestAllSettled_ThousandsOfCalls(t *testing.T) {
	katatest.Bubble(t, 5, func(t *testing.T) {
		const n, each = 2000, 10 * time.Millisecond
		services := make([]*service, n)
		want := make([]string, n)
		var errs []error
		for i := range services {
			name := fmt.Sprint("item ", i)
			if i%3 == 1 {
				err := fmt.Errorf("%s: not found", name)
				errs = append(errs, err)
				services[i] = failing(name, each, err)
				continue
			}
			services[i] = newService(name, each)
			want[i] = name
		}
		o := run(t, "AllSettled", AllSettled, t.Context(), 5, services...)
		checkTook(t, "AllSettled", o, each, "2000 calls of 10ms, side by side", 5)
		checkResults(t, o.results, want)
		checkErrors(t, o.err, errs, "every third call fails, all at 10ms")
	})
}

// Task 3: the caller giving up cancels every call; AllSettled still waits
// for a call that ignores its context, and keeps what finished. ads failed
// on its own before that: its error is kept beside the context's, whether
// the caller's deadline passed or it cancelled.
func TestAllSettled_ParentCancelled(t *testing.T) {
	for _, c := range parentEnds {
		t.Run(c.name, func(t *testing.T) {
			katatest.Bubble(t, 5, func(t *testing.T) {
				parent := c.parent(t, 150*time.Millisecond)
				errAds := errors.New("ads: timeout upstream")
				user := newService("user", 100*time.Millisecond)
				ads := failing("ads", 50*time.Millisecond, errAds)
				orders := newService("orders", 300*time.Millisecond)
				legacy := newService("legacy", time.Second)
				legacy.stubborn = true
				o := run(t, "AllSettled", AllSettled, parent, 5, user, ads, orders, legacy)
				if checkCancelledAt(t, 150*time.Millisecond, "the caller "+c.event, nil, orders) && checkNoneRunning(t, "AllSettled", o, 5) {
					checkTook(t, "AllSettled", o, time.Second,
						"the caller's context ends at 150ms, but legacy ignores it and returns only at 1s", 5)
				}
				if !errors.Is(o.err, c.err) {
					t.Error(katatest.Failure{
						Want:  fmt.Sprintf("an error for which errors.Is(err, %s): orders was stopped because the caller %s", c.errName, c.event),
						Got:   fmt.Sprint(o.err),
						Means: "the caller's cancellation did not reach the calls, or its error was lost: give every call the caller's ctx, and keep a context error like any other",
						Hint:  5,
					})
				} else {
					checkErrors(t, o.err, []error{errAds, c.err},
						"ads (call 1) fails on its own at 50ms, orders (call 2) is stopped by the caller at 150ms")
				}
				checkResults(t, o.results, []string{"user", "", "", "legacy"})
			})
		})
	}
}

// Task 3: a call that takes long, but is still working, is not cut off:
// AllSettled has no time limit of its own; only the caller's ctx cancels.
func TestAllSettled_NoTimeLimitOfItsOwn(t *testing.T) {
	katatest.Bubble(t, 5, func(t *testing.T) {
		report := newService("report", 500*time.Hour) // three weeks: a batch report, say
		user := newService("user", 100*time.Millisecond)
		o := run(t, "AllSettled", AllSettled, t.Context(), 5, report, user)
		if _, _, cancelledAt, _ := report.state(); cancelledAt >= 0 || o.err != nil {
			t.Error(katatest.Failure{
				Want: "the results of both calls after 500h: nothing failed and the caller did not cancel",
				Got:  fmt.Sprintf("%v after %v; report saw its context done at %v", o.err, o.took, cancelledAt),
				Means: "AllSettled gave up on a call that was still working: a time limit of its own (context.WithTimeout). " +
					"Every call settles; only the caller's ctx may cancel one",
				Hint: 5,
			})
			return
		}
		checkResults(t, o.results, []string{"report", "user"})
		checkTook(t, "AllSettled", o, 500*time.Hour, "report takes 500h, and nothing stops it", 5)
	})
}

// Task 3: a request that is already gone makes no call, and still gets one
// result per call.
func TestAllSettled_ParentAlreadyCancelled(t *testing.T) {
	katatest.Bubble(t, 5, func(t *testing.T) {
		parent, cancel := context.WithCancel(t.Context())
		cancel()
		services := []*service{newService("user", 200*time.Millisecond), newService("orders", 300*time.Millisecond)}
		o := run(t, "AllSettled", AllSettled, parent, 5, services...)
		made := 0
		for _, s := range services {
			n, _, _, _ := s.state()
			made += n
		}
		if made != 0 || !errors.Is(o.err, context.Canceled) || o.took != 0 ||
			len(o.results) != 2 || o.results[0] != "" || o.results[1] != "" {
			means := "AllSettled started work for a caller that had already given up: check ctx.Err() before making any call"
			if made == 0 {
				means = "the caller gave up before AllSettled was called: return ctx.Err() at once"
			}
			t.Error(katatest.Failure{
				Want:  `["" ""], context.Canceled at once, and no call made: ctx was cancelled before AllSettled was called`,
				Got:   fmt.Sprintf("%q, %v after %v, with %s made", o.results, o.err, o.took, katatest.Count(made, "call")),
				Means: means,
				Hint:  5,
			})
		}
	})
}

// Task 3: no calls; one call that fails.
func TestAllSettled_NoCallsAndOneCall(t *testing.T) {
	katatest.Bubble(t, 5, func(t *testing.T) {
		for _, cs := range [][]Call{nil, {}} {
			var got []string
			var err error
			took := katatest.Elapsed(func() { got, err = AllSettled(t.Context(), cs) })
			if got == nil || len(got) != 0 || err != nil || took != 0 {
				t.Error(katatest.Failure{
					Want:  fmt.Sprintf("AllSettled(ctx, %#v) returns an empty, non-nil slice and a nil error, at once", cs),
					Got:   fmt.Sprintf("%#v, %v after %v", got, err, took),
					Means: "with no calls there is nothing to wait for and nothing failed",
					Hint:  5,
				})
			}
		}
		errDown := errors.New("user service down")
		o := run(t, "AllSettled", AllSettled, t.Context(), 5, failing("user", 50*time.Millisecond, errDown))
		checkErrors(t, o.err, []error{errDown}, "the one call fails at 50ms")
		checkResults(t, o.results, []string{""})
		checkTook(t, "AllSettled", o, 50*time.Millisecond, "the one call fails at 50ms", 5)
	})
}
