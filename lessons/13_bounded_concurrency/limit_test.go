package boundedconcurrency

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"testing/synctest"
	"time"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
)

var errDB = errors.New("db: too many connections")

// startForEach runs ForEach(ctx, n, limit, db.query) in a goroutine of its own.
func startForEach(ctx context.Context, n, limit int, db *fakeDB) <-chan outcome {
	return inBackground(func() error { return ForEach(ctx, n, limit, db.query) })
}

// tooMany explains that more than limit calls ran at once.
func tooMany(limit int, running int64, n int) katatest.Failure {
	f := katatest.Failure{
		Want: fmt.Sprintf("exactly %d calls running while every call waits (the limit is %d)", limit, limit),
		Got:  fmt.Sprintf("%d calls running at once", running),
		Hint: 1,
	}
	switch {
	case int(running) == n:
		f.Means = "unbounded fan-out: every call started at once, the very thing that hammers the database. " +
			"Take a slot before starting each call"
	case int(running) == limit+1:
		f.Means = fmt.Sprintf("off by one: a limit of %d let %d calls run. Count the slots again: "+
			"a call takes one before it starts", limit, limit+1)
	default:
		f.Means = "more calls ran at once than the limit allows"
	}
	return f
}

// checkInFlight fails the test unless exactly limit calls of n are running.
func checkInFlight(t *testing.T, s snapshot, limit, n int, name string) {
	t.Helper()
	switch {
	case s.load > int64(limit):
		t.Fatal(tooMany(limit, s.load, n))
	case s.load < int64(limit):
		t.Fatal(katatest.Failure{
			Want: fmt.Sprintf("exactly %d calls running while every call waits (the limit is %d)", limit, limit),
			Got:  fmt.Sprintf("%s running", katatest.Count(s.load, "call")),
			Means: name + " does not use the room it has: the calls are not started, or run one after " +
				"another. Start each call in a goroutine of its own once it has a slot",
			Hint: 1,
		})
	}
}

// Task 1: exactly limit calls run, and a returning call makes room for the next at once.
func TestForEach_ExactlyLimitInFlight(t *testing.T) {
	katatest.Bubble(t, 3, func(t *testing.T) {
		const n, limit = 10, 3
		db := newDB(t).gated(n)
		out := startForEach(testContext(t), n, limit, db)
		synctest.Wait()
		s := db.snap()
		checkInFlight(t, s, limit, n, "ForEach")

		db.open(s.started[0])
		s = db.snap()
		if len(s.started) == limit {
			t.Fatal(katatest.Failure{
				Want: fmt.Sprintf("a new call starts the moment one returns: %d started, %d running", limit+1, limit),
				Got:  fmt.Sprintf("one call returned, %d running, and no new call started", s.load),
				Means: "waiting for a whole batch while a slot is free: the calls run in batches of the limit, " +
					"and a batch waits for its slowest call. Keep the window sliding: a call takes the slot " +
					"that the last one freed",
				Hint: 3,
			})
		}
		checkInFlight(t, s, limit, n, "ForEach")

		db.openAll()
		o := await(t, "ForEach", out, 3)
		s = db.snap()
		if o.err != nil || len(s.started) != n {
			t.Errorf("%v", katatest.Failure{
				Want:  fmt.Sprintf("nil, every one of the %d calls made once", n),
				Got:   fmt.Sprintf("%v, %s made", o.err, katatest.Count(len(s.started), "call")),
				Means: "ForEach must call query for every index once",
				Hint:  2,
			})
		}
	})
}

// Task 1: the goroutine of a call is started only once the call has a slot.
func TestForEach_GoroutinesBounded(t *testing.T) {
	katatest.Bubble(t, 1, func(t *testing.T) {
		const n, limit = 1000, 3
		db := newDB(t).gated(n)
		before := goroutines()
		out := startForEach(testContext(t), n, limit, db)
		synctest.Wait()
		extra := goroutines() - before
		s := db.snap()
		checkInFlight(t, s, limit, n, "ForEach")
		// ForEach's own goroutine, the calls', and one to spare.
		if extra > limit+2 {
			t.Fatal(katatest.Failure{
				Want: fmt.Sprintf("at most %d goroutines: the %d calls running and ForEach's own", limit+2, limit),
				Got:  fmt.Sprintf("%d goroutines while %d calls of %d run", extra, s.load, n),
				Means: "acquire inside the goroutine: every call got a goroutine at once and waits in it for a " +
					"slot. The calls are bounded, the goroutines are not (a million items, a million goroutines). " +
					"Take the slot before the go statement",
				Hint: 1,
			})
		}
		db.openAll()
		await(t, "ForEach", out, 1)
	})
}

// Task 1: the calls still run side by side; the limit only caps how many.
func TestForEach_StillConcurrent(t *testing.T) {
	for _, c := range []struct {
		n, limit int
		want     time.Duration
		why      string
	}{
		{12, 3, 400 * time.Millisecond, "12 calls of 100ms, 3 at a time: 4 rounds"},
		{12, 1, 1200 * time.Millisecond, "12 calls of 100ms, 1 at a time: one after another"},
		{12, 20, 100 * time.Millisecond, "12 calls of 100ms with room for 20: all at once"},
	} {
		t.Run(fmt.Sprintf("limit_%d", c.limit), func(t *testing.T) {
			katatest.Bubble(t, 1, func(t *testing.T) {
				db := newDB(t)
				o := await(t, "ForEach", startForEach(testContext(t), c.n, c.limit, db), 1)
				s := db.snap()
				if s.maxLoad > int64(c.limit) {
					t.Fatal(tooMany(c.limit, s.maxLoad, c.n))
				}
				if o.err != nil || len(s.started) != c.n || o.took != c.want {
					means := "ForEach must make every call, limit at a time"
					if o.took > c.want && len(s.started) == c.n {
						means = "the calls were serialized: a limit caps how many run at once, it must not make them wait for each other"
					}
					t.Fatal(katatest.Failure{
						Want:  fmt.Sprintf("nil after %v (%s)", c.want, c.why),
						Got:   fmt.Sprintf("%v after %v, %s made, at most %d at once", o.err, o.took, katatest.Count(len(s.started), "call"), s.maxLoad),
						Means: means,
						Hint:  1,
					})
				}
			})
		})
	}
}

// Task 1: a slow call holds only its own slot; the others keep turning.
func TestForEach_SlidingWindow(t *testing.T) {
	katatest.Bubble(t, 3, func(t *testing.T) {
		db := newDB(t)
		lat := []time.Duration{300 * time.Millisecond, 100 * time.Millisecond, 100 * time.Millisecond, 100 * time.Millisecond}
		db.latency = func(i int) time.Duration { return lat[i] }
		o := await(t, "ForEach", startForEach(testContext(t), len(lat), 2, db), 3)
		if o.err != nil || o.took != 300*time.Millisecond {
			t.Fatal(katatest.Failure{
				Want: "nil after 300ms: call 0 takes 300ms in one slot while calls 1, 2, 3 (100ms each) follow one another in the other",
				Got:  fmt.Sprintf("%v after %v", o.err, o.took),
				Means: "waiting for a whole batch while a slot is free: 400ms is two batches of two, the first as slow " +
					"as its 300ms call. A freed slot must be taken at once",
				Hint: 3,
			})
		}
	})
}

// Task 1: 5,000 calls, as many as a backfill job makes; no hidden cap.
func TestForEach_ThousandsOfCalls(t *testing.T) {
	katatest.Bubble(t, 2, func(t *testing.T) {
		const n, limit = 5000, 8
		db := newDB(t)
		db.latency = func(int) time.Duration { return 10 * time.Millisecond }
		o := await(t, "ForEach", startForEach(testContext(t), n, limit, db), 2)
		s := db.snap()
		if s.maxLoad > limit {
			t.Fatal(tooMany(limit, s.maxLoad, n))
		}
		seen := make([]bool, n)
		for _, i := range s.started {
			if i < 0 || i >= n || seen[i] {
				t.Fatalf("%v", katatest.Failure{
					Want:  "every index from 0 to 4999 called once",
					Got:   fmt.Sprintf("query(ctx, %d) called twice or out of range", i),
					Means: "each item must be queried exactly once",
					Hint:  2,
				})
			}
			seen[i] = true
		}
		if o.err != nil || len(s.started) != n || o.took != 6250*time.Millisecond {
			t.Fatal(katatest.Failure{
				Want:  "nil after 6.25s: 5000 calls of 10ms, 8 at a time, 625 rounds",
				Got:   fmt.Sprintf("%v after %v, %s made, at most %d at once", o.err, o.took, katatest.Count(len(s.started), "call"), s.maxLoad),
				Means: "with thousands of calls, ForEach must still make each one and keep all 8 slots busy",
				Hint:  2,
			})
		}
	})
}

// Task 1: nothing to do, nothing done.
func TestForEach_NoCalls(t *testing.T) {
	katatest.Bubble(t, 2, func(t *testing.T) {
		db := newDB(t)
		o := await(t, "ForEach", startForEach(testContext(t), 0, 3, db), 2)
		if o.err != nil || o.took != 0 || len(db.snap().started) != 0 {
			t.Error(katatest.Failure{
				Want:  "ForEach with n = 0 returns nil at once and calls nothing",
				Got:   fmt.Sprintf("%v after %v", o.err, o.took),
				Means: "zero items is not an error",
				Hint:  2,
			})
		}
	})
}

// Task 1: a limit that admits nobody is an error, not a hang, even when
// there is nothing to do: the limit is checked first.
func TestForEach_LimitBelowOne(t *testing.T) {
	for _, c := range []struct{ n, limit int }{{5, 0}, {5, -1}, {0, 0}} {
		t.Run(fmt.Sprintf("n_%d_limit_%d", c.n, c.limit), func(t *testing.T) {
			katatest.Bubble(t, 2, func(t *testing.T) {
				db := newDB(t)
				o := await(t, "ForEach", startForEach(testContext(t), c.n, c.limit, db), 2)
				if !errors.Is(o.err, ErrLimit) || o.took != 0 || len(db.snap().started) != 0 {
					means := "a limit below 1 must be refused: errgroup's SetLimit(0) admits nobody, so Go waits " +
						"forever, and a negative limit means no limit at all"
					if c.n == 0 {
						means = "a limit below 1 is refused whatever n is: check the limit before anything else, " +
							"n = 0 included (a caller's bug shows on the first, empty, run)"
					}
					t.Error(katatest.Failure{
						Want:  fmt.Sprintf("ForEach(ctx, %d, %d, query) returns ErrLimit at once and calls nothing", c.n, c.limit),
						Got:   fmt.Sprintf("%v after %v, %s made", o.err, o.took, katatest.Count(len(db.snap().started), "call")),
						Means: means,
						Hint:  2,
					})
				}
			})
		})
	}
}

// Task 2: the first error cancels the calls running and starts no more.
func TestForEach_FirstErrorStops(t *testing.T) {
	katatest.Bubble(t, 3, func(t *testing.T) {
		const n, limit = 10, 2
		db := newDB(t)
		db.latency = func(i int) time.Duration {
			if i == 1 {
				return 10 * time.Millisecond
			}
			return 100 * time.Millisecond
		}
		db.fail[1] = errDB
		db.hangUp = 5 * time.Millisecond // a cancelled call needs 5ms to return
		o := await(t, "ForEach", startForEach(testContext(t), n, limit, db), 3)
		s := db.snap()
		if !errors.Is(o.err, errDB) {
			t.Fatal(katatest.Failure{
				Want:  fmt.Sprintf("the error of call 1 (%v)", errDB),
				Got:   fmt.Sprintf("%v after %v", o.err, o.took),
				Means: "the first error was lost: ForEach must return the error of the call that failed first",
				Hint:  2,
			})
		}
		if len(s.started) > limit {
			t.Fatal(katatest.Failure{
				Want: "calls 0 and 1 only: call 1 fails at 10ms, and the 8 calls queued behind it never start",
				Got:  fmt.Sprintf("%s started: %v", katatest.Count(len(s.started), "call"), s.started),
				Means: "queued work started after the error: stopping early means the calls still waiting for a slot " +
					"are dropped, not started with a cancelled context. Check the context before each call",
				Hint: 3,
			})
		}
		if at, ok := s.cancelledAt[0]; !ok || at != 10*time.Millisecond {
			t.Fatal(katatest.Failure{
				Want: "call 0 cancelled at 10ms, when call 1 failed",
				Got:  fmt.Sprintf("ForEach returned after %v; call 0 cancelled: %v", o.took, ok),
				Means: "the calls still running were not cancelled: give them the context of errgroup.WithContext, " +
					"which is cancelled at the first error",
				Hint: 2,
			})
		}
		if o.took != 15*time.Millisecond {
			t.Fatal(katatest.Failure{
				Want:  "ForEach returns at 15ms: call 1 fails at 10ms, and the cancelled call 0 needs 5ms to return",
				Got:   fmt.Sprintf("it returned after %v", o.took),
				Means: "ForEach must wait for every call it started, and no longer: g.Wait() after the loop",
				Hint:  2,
			})
		}
	})
}

// Task 2: an error in the very last call is not lost.
func TestForEach_ErrorOnLastCall(t *testing.T) {
	katatest.Bubble(t, 2, func(t *testing.T) {
		const n = 5
		db := newDB(t)
		db.fail[n-1] = errDB
		o := await(t, "ForEach", startForEach(testContext(t), n, 2, db), 2)
		if !errors.Is(o.err, errDB) || o.took != 300*time.Millisecond || len(db.snap().started) != n {
			t.Error(katatest.Failure{
				Want:  "the error of call 4, the last, after 300ms (5 calls of 100ms, 2 at a time)",
				Got:   fmt.Sprintf("%v after %v, %s made", o.err, o.took, katatest.Count(len(db.snap().started), "call")),
				Means: "the error of the last call was lost: wait for every call before returning, and return its error",
				Hint:  2,
			})
		}
	})
}

// Task 2: when the caller gives up, the calls waiting for a slot never start.
func TestForEach_CancelWhileWaiting(t *testing.T) {
	katatest.Bubble(t, 3, func(t *testing.T) {
		const n, limit = 10, 2
		db := newDB(t).gated(n)
		ctx, cancel := context.WithCancel(testContext(t))
		defer cancel()
		out := startForEach(ctx, n, limit, db)
		synctest.Wait()
		checkInFlight(t, db.snap(), limit, n, "ForEach")
		cancel()
		synctest.Wait()
		s := db.snap()
		o, ok := returned(out)
		switch {
		case len(s.started) > limit:
			t.Fatal(katatest.Failure{
				Want: "calls 0 and 1 only: the caller cancelled while 8 calls waited for a slot",
				Got:  fmt.Sprintf("%s started: %v", katatest.Count(len(s.started), "call"), s.started),
				Means: "queued work started after the cancel: a call that gets its slot after the context is done " +
					"must not start. Check the context before each call",
				Hint: 3,
			})
		case !ok:
			t.Fatal(katatest.Failure{
				Want:  "ForEach returns at once when the caller cancels (the running calls return at once too)",
				Got:   "ForEach had not returned",
				Means: "ForEach goes on with calls after the caller gave up",
				Hint:  3,
			})
		case !errors.Is(o.err, context.Canceled):
			t.Error(katatest.Failure{
				Want:  "an error for which errors.Is(err, context.Canceled) holds",
				Got:   fmt.Sprint(o.err),
				Means: "the caller cancelled before every call had started: say so, the work is not done",
				Hint:  3,
			})
		}
	})
}

// Task 2: the caller's deadline passes while calls wait for a slot, and
// the two calls running ignore their context and succeed: the error ForEach
// returns must still say that the work is not done. Only the code that
// stops starting calls knows it; no call reports it.
func TestForEach_DeadlineWhileWaiting(t *testing.T) {
	katatest.Bubble(t, 3, func(t *testing.T) {
		const n, limit = 10, 2
		db := newDB(t).gated(n)
		db.deaf[0], db.deaf[1] = true, true
		ctx, cancel := context.WithTimeout(testContext(t), 50*time.Millisecond)
		defer cancel()
		out := startForEach(ctx, n, limit, db)
		synctest.Wait()
		checkInFlight(t, db.snap(), limit, n, "ForEach")
		katatest.Advance(50 * time.Millisecond) // the deadline passes; calls 0 and 1 run on
		if o, ok := returned(out); ok {
			t.Fatal(katatest.Failure{
				Want:  "ForEach waits for calls 0 and 1, which ignore their context",
				Got:   fmt.Sprintf("it returned %v at the deadline, while they still ran", o.err),
				Means: "ForEach must wait for every call it started",
				Hint:  3,
			})
		}
		db.open(0)
		db.open(1)
		s := db.snap()
		o, ok := returned(out)
		switch {
		case len(s.started) > limit:
			t.Fatal(katatest.Failure{
				Want:  "calls 0 and 1 only: the deadline passed while 8 calls waited for a slot",
				Got:   fmt.Sprintf("%s started: %v", katatest.Count(len(s.started), "call"), s.started),
				Means: "queued work started after the deadline: a call that gets its slot after the context is done must not start",
				Hint:  3,
			})
		case !ok:
			t.Fatal(katatest.Failure{
				Want:  "ForEach returns once calls 0 and 1 have returned",
				Got:   "ForEach had not returned",
				Means: "ForEach goes on with calls after the caller's deadline",
				Hint:  3,
			})
		case !errors.Is(o.err, context.DeadlineExceeded):
			means := "the caller's deadline passed before every call had started: ForEach must return an error for which " +
				"errors.Is(err, ctx.Err()) holds"
			if o.err == nil {
				means = "the context error was swallowed: the loop stopped at the deadline, but nothing recorded why, and " +
					"the calls that ran succeeded. The calls never started are work not done: return ctx.Err()"
			}
			t.Error(katatest.Failure{
				Want:  "an error for which errors.Is(err, context.DeadlineExceeded) holds: 8 calls never started",
				Got:   fmt.Sprint(o.err),
				Means: means,
				Hint:  3,
			})
		}
	})
}

// Task 2: a context already done starts nothing.
func TestForEach_AlreadyCancelled(t *testing.T) {
	katatest.Bubble(t, 3, func(t *testing.T) {
		db := newDB(t)
		ctx, cancel := context.WithCancel(testContext(t))
		cancel()
		o := await(t, "ForEach", startForEach(ctx, 5, 2, db), 3)
		s := db.snap()
		if len(s.started) != 0 || !errors.Is(o.err, context.Canceled) {
			means := "calls started with a context already cancelled: errgroup starts every function it is given, " +
				"so check the context before the call"
			if len(s.started) == 0 {
				means = "the context error was swallowed: nothing started, but ForEach did not say why. Return ctx.Err()"
			}
			t.Error(katatest.Failure{
				Want:  "no call, and an error for which errors.Is(err, context.Canceled) holds: the context was done before ForEach began",
				Got:   fmt.Sprintf("%v, %s started", o.err, katatest.Count(len(s.started), "call")),
				Means: means,
				Hint:  3,
			})
		}
	})
}
