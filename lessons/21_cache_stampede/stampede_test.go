package cachestampede

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
)

// stampedeMeans explains n loads where one was due.
func stampedeMeans(n int) string {
	return fmt.Sprintf("a cache stampede: %s for one key, one per concurrent miss. Every caller missed, and each went to the slow source; "+
		"concurrent misses for one key must share one load (singleflight.Group, one Group for the whole cache, keyed by the cache key)",
		katatest.Count(n, "load"))
}

// Task 2: 100 concurrent misses for one key make one load, and every caller
// gets its value when it returns.
func TestGet_OneLoadForManyMisses(t *testing.T) {
	requireLockFree(t)
	katatest.Bubble(t, 3, func(t *testing.T) {
		src := &source{latency: time.Second}
		c := New(src.load, time.Minute, 5*time.Second)
		rs := getMany(c, t.Context(), "product:1234", 100)
		if n := src.count("product:1234"); n != 1 {
			t.Fatal(katatest.Failure{
				Want:  `1 load of "product:1234": 100 Gets miss at the same instant`,
				Got:   katatest.Count(n, "load"),
				Means: stampedeMeans(n),
				Hint:  3,
			})
		}
		if i := firstWrong(rs, "product:1234#1", time.Second); i >= 0 {
			t.Errorf(`Get %d of 100 returned %v; want "product:1234#1", nil after 1s: every caller gets the one load's value`, i, rs[i])
		}
		checkHit(t, get(c, t.Context(), "product:1234"), "product:1234#1", "after the shared load")
	})
}

// Task 2: a caller that misses while the load is under way joins it: it
// returns when that load returns, with its value.
func TestGet_LateCallerJoinsTheLoad(t *testing.T) {
	requireLockFree(t)
	katatest.Bubble(t, 3, func(t *testing.T) {
		src := &source{latency: time.Second}
		c := New(src.load, time.Minute, 5*time.Second)
		first := goGet(c, t.Context(), "product:1234")
		time.Sleep(600 * time.Millisecond)
		late := get(c, t.Context(), "product:1234")
		if n := src.count("product:1234"); n != 1 || late.value != "product:1234#1" || late.err != nil || late.took != 400*time.Millisecond {
			t.Error(katatest.Failure{
				Want:  `the Get at 600ms joins the load started at 0: 1 load, "product:1234#1", nil after 400ms`,
				Got:   fmt.Sprintf("%s, %v", katatest.Count(n, "load"), late),
				Means: stampedeMeans(n),
				Hint:  3,
			})
		}
		if r := <-first; r.value != "product:1234#1" || r.err != nil || r.took != time.Second {
			t.Errorf(`the first Get returned %v; want "product:1234#1", nil after 1s`, r)
		}
	})
}

// Task 2: one load per key, and the loads of different keys run at the same
// time: 3 keys with 30 callers each make 3 loads, all done at 1s.
func TestGet_OneLoadPerKey(t *testing.T) {
	requireLockFree(t)
	katatest.Bubble(t, 3, func(t *testing.T) {
		src := &source{latency: time.Second}
		c := New(src.load, time.Minute, 5*time.Second)
		keys := []string{"price:BTC", "price:ETH", "price:SOL"}
		results := make([]<-chan []result, len(keys))
		for i, key := range keys {
			ch := make(chan []result, 1)
			go func() { ch <- getMany(c, t.Context(), key, 30) }()
			results[i] = ch
		}
		for i, key := range keys {
			rs := <-results[i]
			if j := firstWrong(rs, key+"#1", time.Second); j >= 0 {
				means := "Get returned another key's value, or waited for another key's load: the flights must be keyed by the cache key"
				if rs[j].value == key+"#1" && rs[j].took > time.Second {
					means = "the loads of different keys ran one after another: " + lockHeldMeans
				}
				t.Error(katatest.Failure{
					Want:  fmt.Sprintf("%q, nil after 1s for each of the 30 Gets of %s: each key loads once, all keys at the same time", key+"#1", key),
					Got:   fmt.Sprintf("Get %d returned %v", j, rs[j]),
					Means: means,
					Hint:  3,
				})
			}
			checkLoads(t, src, key, 1, "30 Gets miss at the same instant", katatest.Failure{Means: stampedeMeans(src.count(key)), Hint: 3})
		}
	})
}

// Task 2: a failed load's error reaches every caller who waited for it, not
// only the one who started it, and the next Get loads again.
func TestGet_SharedErrorReachesEveryCaller(t *testing.T) {
	requireLockFree(t)
	katatest.Bubble(t, 3, func(t *testing.T) {
		src := &source{latency: time.Second, fail: func(_ string, n int) error {
			if n == 1 {
				return errUnavailable
			}
			return nil
		}}
		c := New(src.load, time.Minute, 5*time.Second)
		rs := getMany(c, t.Context(), "price:BTC", 50)
		checkLoads(t, src, "price:BTC", 1, "50 Gets miss at the same instant", katatest.Failure{Means: stampedeMeans(src.count("price:BTC")), Hint: 3})
		for i, r := range rs {
			if !errors.Is(r.err, errUnavailable) || r.value != "" || r.took != time.Second {
				t.Fatal(katatest.Failure{
					Want:  fmt.Sprintf("\"\", %q after 1s for each of the 50 Gets: they shared one load, and it failed", errUnavailable),
					Got:   fmt.Sprintf("Get %d returned %v", i, r),
					Means: "a caller who waited for the shared load did not get its error: every caller of one load gets its value or its error, the error included (a joiner that gets nil, nil thinks an empty value is the answer)",
					Hint:  3,
				})
			}
		}
		r := get(c, t.Context(), "price:BTC")
		if r.value != "price:BTC#2" || r.err != nil {
			t.Error(katatest.Failure{
				Want:  `"price:BTC#2", nil: the shared load failed, so the next Get loads again`,
				Got:   r.String(),
				Means: "a cached error: the failed load was kept. Store only what a load returned without error",
				Hint:  2,
			})
		}
	})
}

// Task 2: after the value goes stale, a new stampede makes one new load,
// and a Get after that load returned is a hit, not a third load.
func TestGet_StampedeAfterExpiry(t *testing.T) {
	requireLockFree(t)
	katatest.Bubble(t, 3, func(t *testing.T) {
		src := &source{latency: time.Second}
		c := New(src.load, time.Minute, 5*time.Second)
		get(c, t.Context(), "product:1234")
		time.Sleep(time.Minute)
		rs := getMany(c, t.Context(), "product:1234", 100)
		checkLoads(t, src, "product:1234", 2, "the first load, then one for the 100 Gets after it went stale",
			katatest.Failure{Means: stampedeMeans(src.count("product:1234") - 1), Hint: 3})
		if i := firstWrong(rs, "product:1234#2", time.Second); i >= 0 {
			t.Errorf(`Get %d of 100 returned %v; want "product:1234#2", nil after 1s: the value went stale, and all 100 share its reload`, i, rs[i])
		}
		checkHit(t, get(c, t.Context(), "product:1234"), "product:1234#2", "after the reload")
	})
}
