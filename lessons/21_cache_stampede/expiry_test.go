package cachestampede

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
)

// Task 1: a miss loads, and the next Get for the key is a hit.
func TestGet_HitDoesNotLoad(t *testing.T) {
	katatest.Bubble(t, 1, func(t *testing.T) {
		src := &source{latency: time.Second}
		c := New(src.load, time.Minute, 10*time.Second)
		r := get(c, t.Context(), "user:42")
		if r.value != "user:42#1" || r.err != nil || r.took != time.Second {
			t.Fatalf(`the first Get("user:42") returned %v; want "user:42#1", nil after 1s, the load's latency`, r)
		}
		checkHit(t, get(c, t.Context(), "user:42"), "user:42#1", "the value loaded a moment ago is fresh for a minute")
		checkLoads(t, src, "user:42", 1, "the second Get is a hit", katatest.Failure{
			Means: "every Get went to the slow source: store the loaded value and look it up first", Hint: 1})
		r = get(c, t.Context(), "user:7")
		if r.value != "user:7#1" || r.err != nil {
			t.Errorf(`Get("user:7") returned %v; want "user:7#1", nil: another key is another value`, r)
		}
	})
}

// Task 1: a value is fresh until exactly ttl after its load returned. Hits
// do not extend it, and at that instant it is stale: the next Get loads.
func TestGet_ExpiresExactlyAtTTL(t *testing.T) {
	katatest.Bubble(t, 1, func(t *testing.T) {
		const ttl = 10 * time.Second
		src := &source{latency: time.Second}
		c := New(src.load, ttl, 5*time.Second)
		start := time.Now()
		get(c, t.Context(), "rate:EUR") // loaded at 1s, fresh until 11s
		for _, at := range []time.Duration{6 * time.Second, 10*time.Second + 500*time.Millisecond, 11*time.Second - time.Nanosecond} {
			time.Sleep(start.Add(at).Sub(time.Now()))
			r := get(c, t.Context(), "rate:EUR")
			if r.value != "rate:EUR#1" || r.err != nil || r.took != 0 {
				means := "the value expired too early"
				if at > 10*time.Second {
					means = "the value expired at 10s: its ttl was counted from the start of the load, not from the instant the load returned. Stamp the entry when the value is stored"
				}
				t.Fatal(katatest.Failure{
					Want:  fmt.Sprintf(`a hit on "rate:EUR#1" at %v: loaded at 1s with a ttl of 10s, it is fresh until 11s`, at),
					Got:   r.String(),
					Means: means,
					Hint:  1,
				})
			}
		}
		time.Sleep(start.Add(11 * time.Second).Sub(time.Now()))
		r := get(c, t.Context(), "rate:EUR")
		if r.value != "rate:EUR#2" || r.err != nil || r.took != time.Second {
			means := "a stale entry was served: at exactly ttl after its load the value is stale, and Get must load again"
			if r.value == "rate:EUR#1" {
				means = "a stale entry was served: at 11s, exactly ttl after the load returned, the value is stale " +
					"(fresh means now is before the expiry, not at it), and hits must not make it fresh for longer"
			}
			t.Error(katatest.Failure{
				Want:  `"rate:EUR#2", nil after 1s at 11s: the first value went stale at 11s, exactly ttl after its load returned, so Get loads again`,
				Got:   r.String(),
				Means: means,
				Hint:  1,
			})
		}
	})
}

// Task 1: a value goes stale every ttl, not once: an hour of Gets every
// second with a ttl of a minute loads 60 times.
func TestGet_StaleEntryIsNeverServed(t *testing.T) {
	katatest.Bubble(t, 1, func(t *testing.T) {
		src := &source{}
		c := New(src.load, time.Minute, time.Second)
		for i := range 3600 {
			r := get(c, t.Context(), "weather:Oslo")
			if want := fmt.Sprintf("weather:Oslo#%d", i/60+1); r.value != want || r.err != nil {
				t.Fatal(katatest.Failure{
					Want:  fmt.Sprintf("%q, nil at %v: a ttl of 1m, and Gets every second", want, time.Duration(i)*time.Second),
					Got:   r.String(),
					Means: "a stale entry was served: a value must be fresh for ttl after its load, then loaded again",
					Hint:  1,
				})
			}
			time.Sleep(time.Second)
		}
	})
}

// Task 1: with a ttl of 0 the cache keeps nothing: every Get loads.
func TestGet_ZeroTTLKeepsNothing(t *testing.T) {
	katatest.Bubble(t, 1, func(t *testing.T) {
		src := &source{}
		c := New(src.load, 0, time.Second)
		for i := range 3 {
			if r := get(c, t.Context(), "k"); r.value != fmt.Sprintf("k#%d", i+1) || r.err != nil {
				t.Fatal(katatest.Failure{
					Want:  fmt.Sprintf(`"k#%d", nil: with a ttl of 0 a value is stale the instant it is stored, so each Get loads`, i+1),
					Got:   r.String(),
					Means: "a stale entry was served: fresh means now is before the expiry, and with a ttl of 0 the expiry is the instant of the store",
					Hint:  1,
				})
			}
		}
	})
}

var errUnavailable = errors.New("pricing API: 503 service unavailable")

// Task 1: a failed load is not cached. Its caller gets the error, and the
// next Get loads again.
func TestGet_ErrorsAreNotCached(t *testing.T) {
	katatest.Bubble(t, 2, func(t *testing.T) {
		src := &source{latency: time.Second, fail: func(_ string, n int) error {
			if n == 1 {
				return errUnavailable
			}
			return nil
		}}
		c := New(src.load, time.Minute, 5*time.Second)
		r := get(c, t.Context(), "price:BTC")
		if !errors.Is(r.err, errUnavailable) || r.value != "" || r.took != time.Second {
			t.Fatal(katatest.Failure{
				Want:  fmt.Sprintf("\"\", %q after 1s: the first load fails", errUnavailable),
				Got:   r.String(),
				Means: "the Loader's error was lost or changed: Get returns it to the callers of that load",
				Hint:  2,
			})
		}
		r = get(c, t.Context(), "price:BTC")
		if r.value != "price:BTC#2" || r.err != nil || r.took != time.Second {
			t.Fatal(katatest.Failure{
				Want:  `"price:BTC#2", nil after 1s: the first load failed, so the second Get loads again`,
				Got:   r.String(),
				Means: "a cached error: the failed load was kept as if it were a value (an error, or the empty value that came with it), so the cache serves the failure until it expires. Store only what a load returned without error",
				Hint:  2,
			})
		}
		checkHit(t, get(c, t.Context(), "price:BTC"), "price:BTC#2", "the second load succeeded")
	})
}

// Task 1: when a stale value's reload fails, Get returns the error, not the
// stale value, and the reload after it loads again.
func TestGet_FailedReloadServesNoStaleValue(t *testing.T) {
	katatest.Bubble(t, 2, func(t *testing.T) {
		src := &source{fail: func(_ string, n int) error {
			if n == 2 {
				return errUnavailable
			}
			return nil
		}}
		c := New(src.load, time.Minute, 5*time.Second)
		get(c, t.Context(), "price:BTC")
		time.Sleep(time.Minute)
		if r := get(c, t.Context(), "price:BTC"); !errors.Is(r.err, errUnavailable) || r.value != "" {
			t.Error(katatest.Failure{
				Want:  fmt.Sprintf("\"\", %q: the value went stale, and its reload fails", errUnavailable),
				Got:   r.String(),
				Means: "a stale entry was served: a stale value is never returned, even when the reload fails",
				Hint:  1,
			})
		}
		if r := get(c, t.Context(), "price:BTC"); r.value != "price:BTC#3" || r.err != nil {
			t.Error(katatest.Failure{
				Want:  `"price:BTC#3", nil: the reload failed, so the next Get loads again`,
				Got:   r.String(),
				Means: "a cached error: the failed reload was kept. Store only what a load returned without error",
				Hint:  2,
			})
		}
	})
}
