package cachestampede

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
)

// Task 3: the caller who started the load gives up at 100ms. It gets
// context.Canceled at that instant; the load goes on, and the two callers
// who joined it get its value at 1s.
func TestGet_FirstCallersCancelFailsNobodyElse(t *testing.T) {
	requireLockFree(t)
	katatest.Bubble(t, 4, func(t *testing.T) {
		src := &source{latency: time.Second}
		c := New(src.load, time.Minute, 5*time.Second)
		ctx, cancel := context.WithCancel(t.Context())
		first := goGet(c, ctx, "report:q3")
		time.Sleep(10 * time.Millisecond)
		others := []<-chan result{goGet(c, t.Context(), "report:q3"), goGet(c, t.Context(), "report:q3")}
		time.Sleep(90 * time.Millisecond)
		cancel()
		r := <-first
		if !errors.Is(r.err, context.Canceled) || r.value != "" || r.took != 100*time.Millisecond {
			means := "the caller who gave up was kept waiting for the load: wait for the load's result or ctx.Done(), whichever comes first (singleflight's DoChan, in a select)"
			if r.took == 100*time.Millisecond {
				means = "the caller who gave up must get ctx.Err(), unchanged, and no value"
			}
			t.Error(katatest.Failure{
				Want:  `"", context.Canceled at 100ms: the first caller cancels its own Get then`,
				Got:   r.String(),
				Means: means,
				Hint:  5,
			})
		}
		for i, ch := range others {
			r := <-ch
			if r.value != "report:q3#1" || r.err != nil || r.took != 990*time.Millisecond {
				means := "a caller who waited for the shared load did not get its value"
				if errors.Is(r.err, context.Canceled) {
					means = "the first caller's cancel failed every waiter: the load ran under the context of the caller who started it. " +
						"Run it under context.WithoutCancel(ctx), with a deadline of its own"
				}
				t.Error(katatest.Failure{
					Want:  `"report:q3#1", nil at 1s (after 990ms): caller ` + fmt.Sprint(i+2) + ` did not cancel`,
					Got:   r.String(),
					Means: means,
					Hint:  4,
				})
			}
		}
		if l := src.first("report:q3"); l != nil && !l.gaveUp.IsZero() {
			t.Errorf("the load saw its context done at %v; it must run on after its first caller gave up", l.gaveUp.Sub(l.start))
		}
		checkLoads(t, src, "report:q3", 1, "three callers share one load", katatest.Failure{Means: stampedeMeans(src.count("report:q3")), Hint: 3})
	})
}

// Task 3: a joiner that gives up gets ctx.Err() at that instant too, and the
// caller who started the load still gets its value.
func TestGet_JoinerGivesUpAlone(t *testing.T) {
	requireLockFree(t)
	katatest.Bubble(t, 5, func(t *testing.T) {
		src := &source{latency: time.Second}
		c := New(src.load, time.Minute, 5*time.Second)
		first := goGet(c, t.Context(), "report:q3")
		time.Sleep(100 * time.Millisecond)
		ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
		defer cancel()
		r := get(c, ctx, "report:q3")
		if !errors.Is(r.err, context.DeadlineExceeded) || r.value != "" || r.took != 200*time.Millisecond {
			t.Error(katatest.Failure{
				Want:  `"", context.DeadlineExceeded after 200ms: the joiner's own deadline comes before the load returns`,
				Got:   r.String(),
				Means: "a caller whose context is done was kept waiting for the load: wait for the load's result or ctx.Done(), whichever comes first",
				Hint:  5,
			})
		}
		if r := <-first; r.value != "report:q3#1" || r.err != nil || r.took != time.Second {
			t.Errorf(`the first Get returned %v; want "report:q3#1", nil after 1s: a joiner giving up changes nothing for it`, r)
		}
		checkLoads(t, src, "report:q3", 1, "the joiner shares the first caller's load", katatest.Failure{Means: stampedeMeans(src.count("report:q3")), Hint: 3})
	})
}

// Task 3: the load's value is stored when it returns, even after every
// caller has gone: the next Get is a hit.
func TestGet_LoadFinishesAfterEveryCallerLeft(t *testing.T) {
	requireLockFree(t)
	katatest.Bubble(t, 4, func(t *testing.T) {
		src := &source{latency: time.Second}
		c := New(src.load, time.Minute, 5*time.Second)
		ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
		defer cancel()
		if r := get(c, ctx, "report:q3"); !errors.Is(r.err, context.DeadlineExceeded) || r.took != 100*time.Millisecond {
			t.Errorf(`Get with a 100ms deadline returned %v; want "", context.DeadlineExceeded after 100ms`, r)
		}
		time.Sleep(time.Second) // the load returned at 1s
		r := get(c, t.Context(), "report:q3")
		if r.value != "report:q3#1" || r.err != nil || r.took != 0 {
			means := "the load's value was lost: it was stored by the callers, and they had all gone. Store it in the load itself, inside the function the flight runs"
			if errors.Is(r.err, context.Canceled) || errors.Is(r.err, context.DeadlineExceeded) || src.first("report:q3") != nil && !src.first("report:q3").gaveUp.IsZero() {
				means = "the load stopped when its only caller gave up: it ran under that caller's context. Run it under context.WithoutCancel(ctx), with a deadline of its own"
			}
			t.Error(katatest.Failure{
				Want:  `a hit on "report:q3#1" at 1.1s: the load went on after its caller left at 100ms, returned at 1s, and was stored`,
				Got:   r.String(),
				Means: means,
				Hint:  4,
			})
		}
	})
}

// Task 3: the load has a deadline of its own, loadTimeout after it started,
// whatever its callers' deadlines are. A source that never answers fails
// every caller at exactly loadTimeout, and the next Get loads again.
func TestGet_LoadHasItsOwnDeadline(t *testing.T) {
	requireLockFree(t)
	katatest.Bubble(t, 4, func(t *testing.T) {
		src := &source{latency: time.Hour} // a source that hangs
		c := New(src.load, time.Minute, 5*time.Second)
		start := time.Now()
		short, cancel := context.WithTimeout(t.Context(), time.Second)
		defer cancel()
		rs := []<-chan result{goGet(c, short, "report:q3"), goGet(c, t.Context(), "report:q3")}
		synctest_wait()
		l := src.first("report:q3")
		if l == nil {
			t.Fatal("no load started")
		}
		deadline, ok := l.ctx.Deadline()
		if !ok || !deadline.Equal(start.Add(5*time.Second)) {
			got := "no deadline"
			if ok {
				got = fmt.Sprintf("a deadline %v after the load started", deadline.Sub(start))
			}
			means := "the load has no deadline of its own: context.WithoutCancel drops the caller's deadline too, so add one with context.WithTimeout(..., loadTimeout)"
			if ok && deadline.Equal(start.Add(time.Second)) {
				means = "the load has the deadline of the caller who started it: the first caller's cancel or deadline would fail every waiter. Derive it from context.WithoutCancel(ctx)"
			}
			t.Error(katatest.Failure{
				Want:  "the Loader's context has a deadline 5s (loadTimeout) after the load started",
				Got:   got,
				Means: means,
				Hint:  4,
			})
		}
		if r := <-rs[0]; !errors.Is(r.err, context.DeadlineExceeded) || r.took != time.Second {
			t.Errorf(`the Get with a 1s deadline returned %v; want "", context.DeadlineExceeded after 1s`, r)
		}
		if r := <-rs[1]; !errors.Is(r.err, context.DeadlineExceeded) || r.value != "" || r.took != 5*time.Second {
			t.Error(katatest.Failure{
				Want:  `"" and an error wrapping context.DeadlineExceeded after 5s: the source hangs, and the load gives up at loadTimeout`,
				Got:   r.String(),
				Means: "the load's own deadline did not stop it: run the Loader under context.WithTimeout(context.WithoutCancel(ctx), loadTimeout)",
				Hint:  4,
			})
		}
		src.latency = 0 // safe: no load is running
		if r := get(c, t.Context(), "report:q3"); r.value != "report:q3#2" || r.err != nil {
			t.Error(katatest.Failure{
				Want:  `"report:q3#2", nil: the load that timed out is not cached, so the next Get loads again`,
				Got:   r.String(),
				Means: "a cached error: the timed-out load was kept. Store only what a load returned without error",
				Hint:  2,
			})
		}
	})
}

type ctxKey struct{}

// Task 3: the load's context keeps the values of the context of the caller
// who started it (a request ID, a trace), only not its cancellation, and
// it is cancelled once the load has returned.
func TestGet_LoadKeepsTheCallersValues(t *testing.T) {
	katatest.Bubble(t, 4, func(t *testing.T) {
		src := &source{}
		c := New(src.load, time.Minute, 5*time.Second)
		ctx := context.WithValue(t.Context(), ctxKey{}, "request 7f3a")
		get(c, ctx, "user:42")
		l := src.first("user:42")
		if l == nil {
			t.Fatal(`Get("user:42") made no load`)
		}
		if got, _ := l.ctx.Value(ctxKey{}).(string); got != "request 7f3a" {
			t.Error(katatest.Failure{
				Want:  `the Loader's context carries the caller's value "request 7f3a"`,
				Got:   fmt.Sprintf("%q", got),
				Means: "the load ran under a context of its own making (context.Background()), which drops the caller's values: derive it with context.WithoutCancel(ctx), which keeps them",
				Hint:  4,
			})
		}
		if l.ctx.Err() == nil {
			t.Error(katatest.Failure{
				Want:  "the Loader's context is cancelled once the load has returned",
				Got:   "it is still live after Get returned; it would be done only at its deadline, 5s later",
				Means: "the load's context was never cancelled: call the cancel func that context.WithTimeout returns (defer cancel()) when the load returns, or its timer and whatever the Loader tied to it live on until the deadline",
				Hint:  4,
			})
		}
	})
}

// Task 3: a caller that is already gone starts no load; a hit is served
// whatever ctx is.
func TestGet_AlreadyCancelled(t *testing.T) {
	katatest.Bubble(t, 5, func(t *testing.T) {
		src := &source{latency: time.Second}
		c := New(src.load, time.Minute, 5*time.Second)
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		r := get(c, ctx, "user:42")
		synctest_wait()
		if n := src.count(""); n != 0 || r.err != context.Canceled || r.value != "" || r.took != 0 {
			t.Error(katatest.Failure{
				Want:  `"", context.Canceled at once, and no load: ctx was cancelled before Get was called`,
				Got:   fmt.Sprintf("%v, with %s", r, katatest.Count(n, "load")),
				Means: "a load started for a caller that had already gone: check ctx.Err() before starting the flight",
				Hint:  5,
			})
		}
		get(c, t.Context(), "user:42")
		checkHit(t, get(c, ctx, "user:42"), "user:42#1", "a fresh value is served whatever the caller's context")
	})
}
