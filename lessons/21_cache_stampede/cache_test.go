package cachestampede

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
)

func TestMain(m *testing.M) { katatest.Main(m) }

// This file holds the helpers the lesson's tests share (a fake slow source
// that records every load, and a way to run many Gets at once) and the test
// that the cache's lock is not held during a load, which runs first.

// A source is the fake slow API behind a Cache. Each load takes latency, or
// stops when its context is done, and returns "key#n" for the n-th load of
// key, or the error fail gives for it. The source takes its own lock only at
// the start of a load (and when a load gives up), never across the wait, so
// it orders nothing between the cache's goroutines while they wait or return.
type source struct {
	latency time.Duration
	fail    func(key string, n int) error // nil for "never fails"
	before  func(key string)              // called at the start of each load, if not nil

	mu    sync.Mutex
	loads []*load
}

// A load is what the source saw of one call of its Loader.
type load struct {
	key    string
	ctx    context.Context
	start  time.Time
	gaveUp time.Time // when the load saw its ctx done; zero if it never did
}

func (s *source) load(ctx context.Context, key string) (string, error) {
	s.mu.Lock()
	n := 1
	for _, l := range s.loads {
		if l.key == key {
			n++
		}
	}
	l := &load{key: key, ctx: ctx, start: time.Now()}
	s.loads = append(s.loads, l)
	s.mu.Unlock()
	if s.before != nil {
		s.before(key)
	}
	if s.latency > 0 {
		timer := time.NewTimer(s.latency)
		defer timer.Stop()
		select {
		case <-timer.C:
		case <-ctx.Done():
			s.mu.Lock()
			l.gaveUp = time.Now()
			s.mu.Unlock()
			return "", fmt.Errorf("loading %s: %w", key, ctx.Err())
		}
	}
	if s.fail != nil {
		if err := s.fail(key, n); err != nil {
			return "", err
		}
	}
	return fmt.Sprintf("%s#%d", key, n), nil
}

// count returns how many loads of key the source has seen ("" for all keys).
func (s *source) count(key string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, l := range s.loads {
		if key == "" || l.key == key {
			n++
		}
	}
	return n
}

// first returns the first load the source saw of key, or nil.
func (s *source) first(key string) *load {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, l := range s.loads {
		if l.key == key {
			return l
		}
	}
	return nil
}

// A result is what one Get returned, and how long it took in fake time.
type result struct {
	value string
	err   error
	took  time.Duration
}

// get runs c.Get(ctx, key) and times it.
func get(c *Cache, ctx context.Context, key string) result {
	var r result
	r.took = katatest.Elapsed(func() { r.value, r.err = c.Get(ctx, key) })
	return r
}

// goGet runs c.Get(ctx, key) in a goroutine of its own; its result arrives
// on the channel returned.
func goGet(c *Cache, ctx context.Context, key string) <-chan result {
	ch := make(chan result, 1)
	go func() { ch <- get(c, ctx, key) }()
	return ch
}

// getMany runs n Gets of key at once and returns their results.
func getMany(c *Cache, ctx context.Context, key string, n int) []result {
	chans := make([]<-chan result, n)
	for i := range chans {
		chans[i] = goGet(c, ctx, key)
	}
	out := make([]result, n)
	for i, ch := range chans {
		out[i] = <-ch
	}
	return out
}

// checkHit fails the test unless r is an instant hit on want.
func checkHit(t *testing.T, r result, want, when string) {
	t.Helper()
	if r.value != want || r.err != nil || r.took != 0 {
		t.Error(katatest.Failure{
			Want:  fmt.Sprintf("%q, nil at once: %s", want, when),
			Got:   fmt.Sprintf("%q, %v after %v", r.value, r.err, r.took),
			Means: "a fresh value was not served from the cache: Get must return the stored value without loading",
			Hint:  1,
		})
	}
}

// checkLoads fails the test unless the source saw want loads of key.
func checkLoads(t *testing.T, src *source, key string, want int, story string, f katatest.Failure) bool {
	t.Helper()
	if got := src.count(key); got != want {
		f.Want = fmt.Sprintf("%s of %q: %s", katatest.Count(want, "load"), key, story)
		f.Got = katatest.Count(got, "load")
		t.Error(f)
		return false
	}
	return true
}

// lockHeld is set by TestGet_LockNotHeldDuringLoad when it finds the cache's
// lock held across a load. The tests that run concurrent Gets in fake time
// then stop at once (requireLockFree): a goroutine waiting for a sync.Mutex
// is not durably blocked, so fake time would stop and they would hang.
var lockHeld atomic.Bool

// requireLockFree stops the test if the lock was found held during a load.
func requireLockFree(t *testing.T) {
	t.Helper()
	if lockHeld.Load() {
		t.Fatal(katatest.Failure{
			Want:  "this test runs its Gets at the same time",
			Got:   "not run: TestGet_LockNotHeldDuringLoad found the cache's lock held during a load",
			Means: "the lock is held during the load; with it held, the Gets of this test would wait for the mutex, which fake time cannot see, and the test would hang",
			Hint:  2,
		})
	}
}

var lockHeldMeans = "the lock is held during the load: while one key loads, every other Get waits for the mutex, " +
	"hits for other keys included, and the cache is only as fast as its slowest load. " +
	"Hold the lock for the lookup and for the store, never across the Loader call"

// Task 1: the cache's lock is not held while loading. It runs in real time,
// with a barrier: two loads of different keys must be under way together,
// and a hit must return while a load is under way. A cache that holds its
// lock across the load lets the second party in only after the barrier gave
// up waiting (katatest.DefaultPatience), and the barrier says so.
func TestGet_LockNotHeldDuringLoad(t *testing.T) {
	katatest.Watchdog(t, 2)
	ctx := t.Context()

	both := katatest.NewBarrier(2)
	src := &source{before: func(string) { both.Wait() }}
	c := New(src.load, time.Hour, time.Hour)
	ra, rb := goGet(c, ctx, "price:BTC"), goGet(c, ctx, "price:ETH")
	a, b := <-ra, <-rb
	switch {
	case both.Filled():
	case src.count("") < 2:
		t.Error(katatest.Failure{
			Want:  "two misses for different keys make two loads, at the same time",
			Got:   fmt.Sprintf("%s: Get(\"price:ETH\") returned %q, %v", katatest.Count(src.count(""), "load"), b.value, b.err),
			Means: "Get waited for another key's load and took its value: the flights must be keyed by the cache key",
			Hint:  3,
		})
	default:
		lockHeld.Store(true)
		t.Error(katatest.Failure{
			Want:  "two misses for different keys load at the same time",
			Got:   "the second load started only after the first had waited " + katatest.DefaultPatience.String() + " of real time for it",
			Means: lockHeldMeans,
			Hint:  2,
		})
	}
	if a.value != "price:BTC#1" || a.err != nil || b.value != "price:ETH#1" || b.err != nil {
		t.Errorf(`Get("price:BTC") and Get("price:ETH") returned %q, %v and %q, %v; want "price:BTC#1", nil and "price:ETH#1", nil: each key has its own value`,
			a.value, a.err, b.value, b.err)
	}

	hit := katatest.NewBarrier(2)
	started := make(chan struct{}, 1)
	src2 := &source{before: func(key string) {
		if key == "price:ETH" {
			started <- struct{}{}
			hit.Wait()
		}
	}}
	c2 := New(src2.load, time.Hour, time.Hour)
	if v, err := c2.Get(ctx, "price:BTC"); v != "price:BTC#1" || err != nil {
		t.Fatalf(`Get("price:BTC") returned %q, %v; want "price:BTC#1", nil`, v, err)
	}
	rEth := goGet(c2, ctx, "price:ETH")
	<-started
	v, err := c2.Get(ctx, "price:BTC")
	if !hit.Wait() {
		lockHeld.Store(true)
		t.Error(katatest.Failure{
			Want:  `Get("price:BTC"), a hit, returns at once while "price:ETH" loads`,
			Got:   "the hit returned only after the load of price:ETH had waited " + katatest.DefaultPatience.String() + " of real time for it",
			Means: lockHeldMeans,
			Hint:  2,
		})
	}
	if v != "price:BTC#1" || err != nil {
		t.Errorf(`the second Get("price:BTC") returned %q, %v; want the cached "price:BTC#1", nil`, v, err)
	}
	if r := <-rEth; r.value != "price:ETH#1" || r.err != nil {
		t.Errorf(`Get("price:ETH") returned %q, %v; want "price:ETH#1", nil`, r.value, r.err)
	}
	if n := src2.count("price:BTC"); n != 1 {
		t.Errorf("price:BTC was loaded %s; want once: the second Get is a hit", katatest.Times(n))
	}
}

// firstWrong returns the index of the first result that is not value, nil,
// or -1.
func firstWrong(rs []result, value string, took time.Duration) int {
	for i, r := range rs {
		if r.value != value || r.err != nil || r.took != took {
			return i
		}
	}
	return -1
}

// describe words a result for a message.
func (r result) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%q, %v after %v", r.value, r.err, r.took)
	return b.String()
}

// synctest_wait waits until every other goroutine of the bubble is durably
// blocked.
func synctest_wait() { synctest.Wait() }
