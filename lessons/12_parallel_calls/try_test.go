package parallelcalls

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
	"github.com/gokatas/concurrency/tools/evidence"
)

// A panic in a goroutine that nobody recovers ends the whole program, test
// binary included. So each test below that makes a call panic runs in a
// child process (katatest.Isolate): if the panic gets through, it ends the
// child, and the parent says what it means.

// isolatePanic runs body in a child process and explains a panic that ended
// it. name is the function under test.
func isolatePanic(t *testing.T, name string, body func(t *testing.T)) {
	t.Helper()
	katatest.Isolate(t, katatest.Isolation{
		Hint: 6,
		Explain: func(c katatest.ChildResult) string {
			if !evidence.Signal(c.Output, "panic: ") {
				return "" // the child's own messages say it
			}
			return katatest.Failure{
				Want: "a call that panics fails with a *PanicError naming it, and the program goes on",
				Got:  "the panic went through " + name + " and ended the whole test program: " + firstPanicLine(c.Output),
				Means: "a panic in one call killed the whole program: errgroup does not recover panics, and a recover works only " +
					"in the goroutine that panics, deferred in it. Call each call through Try, inside its goroutine",
				Hint: 6,
			}.String()
		},
	}, body)
}

func firstPanicLine(out string) string {
	for _, line := range strings.Split(out, "\n") {
		if line = strings.TrimSpace(line); strings.HasPrefix(line, "panic: ") {
			return line
		}
	}
	return "(no panic line found)"
}

// checkPanicError fails the test unless err is a *PanicError for call i with
// value v.
func checkPanicError(t *testing.T, err error, i int, v any) bool {
	t.Helper()
	var pe *PanicError
	if errors.As(err, &pe) && pe.Call == i && pe.Value == v {
		return true
	}
	means := "the panic was recovered, but its error does not name the call: return a *PanicError with the call's " +
		"index and the value recover returned, so that the caller can tell which call broke and why"
	got := fmt.Sprintf("%v (%T)", err, err)
	if err == nil {
		means = "the failure of the call that panicked was lost: it must be reported as that call's error"
	}
	if pe != nil {
		got = fmt.Sprintf("&PanicError{Call: %d, Value: %#v}", pe.Call, pe.Value)
	}
	t.Error(katatest.Failure{
		Want:  fmt.Sprintf("an error for which errors.As finds &PanicError{Call: %d, Value: %#v}", i, v),
		Got:   got,
		Means: means,
		Hint:  6,
	})
	return false
}

// Task 4: a call that does not panic goes through Try unchanged.
func TestTry_ReturnsWhatTheCallReturns(t *testing.T) {
	katatest.Bubble(t, 6, func(t *testing.T) {
		user := newService("user", 10*time.Millisecond)
		if got, err := Try(t.Context(), 0, user.call); got != "user" || err != nil {
			t.Errorf("Try(ctx, 0, call) = %q, %v; want the call's own %q, nil", got, err, "user")
		}
		errDown := errors.New("orders service down")
		orders := failing("orders", 10*time.Millisecond, errDown)
		if got, err := Try(t.Context(), 1, orders.call); got != "" || err != errDown {
			t.Errorf("Try(ctx, 1, call) = %q, %v; want the call's own \"\", %q, unchanged", got, err, errDown)
		}
		var seen context.Context
		parent := context.WithValue(t.Context(), "request", 7)
		if _, err := Try(parent, 2, func(ctx context.Context) (string, error) { seen = ctx; return "", nil }); err != nil || seen != parent {
			t.Errorf("Try(ctx, 2, call) called the call with another context than ctx (err %v)", err)
		}
	})
}

// Task 4: Try turns a panic into that call's error.
func TestTry_TurnsAPanicIntoAnError(t *testing.T) {
	isolatePanic(t, "Try", func(t *testing.T) {
		katatest.Bubble(t, 6, func(t *testing.T) {
			cart := newService("cart", 10*time.Millisecond)
			cart.panicWith = "assignment to entry in nil map"
			got, err := Try(t.Context(), 3, cart.call)
			checkPanicError(t, err, 3, cart.panicWith)
			if got != "" {
				t.Errorf("Try returned %q for a call that panicked; want \"\"", got)
			}
			errValue := errors.New("index out of range")
			cart = newService("cart", 10*time.Millisecond)
			cart.panicWith = errValue
			_, err = Try(t.Context(), 0, cart.call)
			checkPanicError(t, err, 0, errValue)
		})
	})
}

// Task 4: in All, a panic is an error like any other: the first one, which
// cancels the rest.
func TestAll_PanickingCall(t *testing.T) {
	isolatePanic(t, "All", func(t *testing.T) {
		katatest.Bubble(t, 6, func(t *testing.T) {
			parent := t.Context()
			user := newService("user", 300*time.Millisecond)
			cart := newService("cart", 100*time.Millisecond)
			cart.panicWith = "assignment to entry in nil map"
			recs := newService("recommendations", 500*time.Millisecond)
			o := run(t, "All", All, parent, 6, user, cart, recs)
			checkPanicError(t, o.err, 1, cart.panicWith)
			if o.results != nil {
				t.Errorf("All returned results %q although a call failed; want nil", head(o.results))
			}
			checkCancelledAt(t, 100*time.Millisecond, "cart panicked", parent, user, recs)
			checkTook(t, "All", o, 100*time.Millisecond, "cart panics at 100ms and the others stop then", 6)
		})
	})
}

// Task 4: in AllSettled, a panic is one call's failure; the others settle.
// Three calls panic at the same instant, in goroutines that share nothing:
// whatever the recover path writes to shared state without a lock is a
// data race on every run under -race.
func TestAllSettled_PanickingCall(t *testing.T) {
	isolatePanic(t, "AllSettled", func(t *testing.T) {
		katatest.Bubble(t, 6, func(t *testing.T) {
			cart := newService("cart", 50*time.Millisecond)
			cart.panicWith = "assignment to entry in nil map"
			user := newService("user", 100*time.Millisecond)
			ads := newService("ads", 50*time.Millisecond)
			ads.panicWith = errors.New("index out of range [3] with length 3")
			recs := newService("recommendations", 50*time.Millisecond)
			recs.panicWith = 42
			o := run(t, "AllSettled", AllSettled, t.Context(), 6, cart, user, ads, recs)
			errs := unwrapAll(o.err)
			if len(errs) != 3 {
				t.Error(katatest.Failure{
					Want:  "an error that joins 3 *PanicErrors, for calls 0, 2 and 3: three calls panicked at 50ms",
					Got:   fmt.Sprintf("%v (joins %s)", o.err, errorList(errs)),
					Means: "the failures of calls that panicked were lost: each is that call's error, kept in its slot",
					Hint:  6,
				})
			} else {
				checkPanicError(t, errs[0], 0, cart.panicWith)
				checkPanicError(t, errs[1], 2, ads.panicWith)
				checkPanicError(t, errs[2], 3, recs.panicWith)
			}
			checkResults(t, o.results, []string{"", "user", "", ""})
			checkTook(t, "AllSettled", o, 100*time.Millisecond, "cart, ads and recommendations panic at 50ms, user answers at 100ms", 6)
		})
	})
}
