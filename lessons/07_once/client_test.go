package once

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
)

// TestMain is the package's only TestMain; it covers subscription_test.go too.
func TestMain(m *testing.M) { katatest.Main(m) }

// callers is how many goroutines call Get at the same time.
const callers = 50

var errRefused = errors.New("dial tcp db:5432: connect: connection refused")

// fakeDB is a Dialer the tests control. It counts its dials, records
// whether two of them ever ran at the same time, and numbers the connections
// it makes (session 1, 2, ...).
//
// Once a test has started its callers (racing), every dial first waits until
// each caller has reached its Get call, then waits at a barrier for the
// other dials. So the first dial cannot finish before every caller has
// called Get: if Get lets a second caller dial, it lets all of them dial,
// every run. A correct Get never lets a second dial start; the barrier then
// opens on its own after katatest.DefaultPatience of real time.
type fakeDB struct {
	err        error        // what every dial returns; nil to succeed
	dials      atomic.Int32 // how many times dial has been called
	inFlight   atomic.Int32 // dials running now
	overlapped atomic.Bool  // two dials ran at the same time

	racing  atomic.Bool       // the callers have started; before that, dial returns at once
	arrived sync.WaitGroup    // one Done per caller, just before it calls Get
	barrier *katatest.Barrier // every dial waits here while racing
}

func (db *fakeDB) dial() (*Conn, error) {
	n := db.dials.Add(1)
	if db.inFlight.Add(1) > 1 {
		db.overlapped.Store(true)
	}
	defer db.inFlight.Add(-1)
	if db.racing.Load() {
		db.arrived.Wait()
		db.barrier.Wait()
	}
	if db.err != nil {
		return nil, db.err
	}
	return &Conn{Session: int(n)}, nil
}

// result is what one Get call returned, or the panic it raised.
type result struct {
	conn     *Conn
	err      error
	panicked any
}

// getConcurrently calls c.Get from callers goroutines at once and returns
// what each one got. A panic inside Get is recovered and returned as a
// value, because a panic in a goroutine would end the whole test binary.
func getConcurrently(c *Client, db *fakeDB) []result {
	results := make([]result, callers)
	db.barrier = katatest.NewBarrier(callers)
	db.arrived.Add(callers)
	db.racing.Store(true)
	var wg sync.WaitGroup
	for i := range callers {
		wg.Go(func() {
			defer func() { results[i].panicked = recover() }()
			db.arrived.Done()
			results[i].conn, results[i].err = c.Get()
		})
	}
	wg.Wait()
	return results
}

func describe(r result) string {
	switch {
	case r.panicked != nil:
		return fmt.Sprintf("a panic: %v", r.panicked)
	case r.conn == nil:
		return fmt.Sprintf("conn=nil, err=%v", r.err)
	default:
		return fmt.Sprintf("session %d, err=%v", r.conn.Session, r.err)
	}
}

// reportDials fails the test unless db dialed exactly once, and reports
// whether it did. When the dials ran one after another, it calls c.Get once
// more, alone, to tell a client that dials again on every call from one
// that checks too early: callers that found "not connected yet" before the
// first dial and dialed after it, under the lock, without checking again.
func reportDials(t *testing.T, c *Client, db *fakeDB) bool {
	t.Helper()
	dials := db.dials.Load()
	want := fmt.Sprintf("dial runs exactly once for %d Get calls at the same time", callers)
	if db.err != nil {
		want += ", even though it fails"
	}
	switch {
	case dials == 1:
		return true
	case dials == 0:
		t.Error(katatest.Failure{
			Want:  want,
			Got:   "dial never ran",
			Means: "Get must connect with the Dialer that NewClient was given",
			Hint:  2,
		})
		return false
	case db.overlapped.Load():
		t.Error(katatest.Failure{
			Want: want,
			Got:  "dial ran " + katatest.Times(dials) + ", all at once",
			Means: "check-then-act: the callers all saw \"not connected yet\" before the first dial " +
				"finished, and each one dialed. Three ways to get here: lazy init without Once, " +
				"a lock that guards the check but not the dial, a new Once made inside Get",
			Hint: 1,
		})
		return false
	}
	db.racing.Store(false)
	before := db.dials.Load()
	func() {
		defer func() { recover() }() // a panic here is not this check's business
		c.Get()
	}()
	again := db.dials.Load() > before
	switch {
	case again && db.err != nil:
		t.Error(katatest.Failure{
			Want: want,
			Got:  "dial ran " + katatest.Times(dials) + ", one after another, failing each time, and a later Get dialed again",
			Means: "a failed dial was retried: each caller found no connection and dialed again. " +
				"The contract says a failed dial is final and its error is every caller's answer",
			Hint: 3,
		})
	case again:
		t.Error(katatest.Failure{
			Want:  want,
			Got:   "dial ran " + katatest.Times(dials) + ", one after another, and a later Get dialed again",
			Means: "the connection is not remembered: each caller dialed again after the one before it",
			Hint:  2,
		})
	default:
		t.Error(katatest.Failure{
			Want: want,
			Got: "dial ran " + katatest.Times(dials) + ", one after another, although a later Get does not dial: " +
				"the callers that arrived during the first dial each dialed again after it",
			Means: noRecheck,
			Hint:  1,
		})
	}
	return false
}

// noRecheck explains a fast path that checks before taking the lock and a
// dial under the lock that does not check again.
const noRecheck = "a check before the lock, and a dial under the lock without checking again. Every caller that " +
	"found \"not connected yet\" (under RLock, or with an atomic load) while the first was dialing waits for the lock, " +
	"gets it after the first is done, and dials again. After taking the lock, check again whether someone else has " +
	"connected (double-checked locking), or let sync.Once do both checks"

// sameButWrapped reports whether r holds an error that wraps want but is
// not want itself.
func sameButWrapped(r result, want error) bool {
	return r.panicked == nil && r.err != want && errors.Is(r.err, want)
}

// wrappedDialError explains a Get that wraps the dial error.
const wrappedDialError = "Get wraps the dial error. The contract is \"the same error\": the Dialer's own value, " +
	"which callers may compare with == or inspect, not a new error around it. Return what the dial returned"

// Task 1: nothing happens until the first Get, and later calls reuse the
// connection.
func TestGet_IsLazy(t *testing.T) {
	katatest.Bubble(t, 2, func(t *testing.T) {
		db := &fakeDB{}
		c := NewClient(db.dial)
		synctest.Wait() // let anything NewClient started run
		if n := db.dials.Load(); n != 0 {
			t.Fatal(katatest.Failure{
				Want:  "NewClient does not dial; the first Get does",
				Got:   fmt.Sprintf("dial ran %d time(s) before anyone called Get", n),
				Means: "the client connects eagerly: a program pays for a connection it may never use, and NewClient cannot report the error",
				Hint:  2,
			})
		}
		var got []result
		for range 3 {
			conn, err := c.Get()
			got = append(got, result{conn: conn, err: err})
		}
		if n := db.dials.Load(); n != 1 {
			t.Error(katatest.Failure{
				Want:  "three Get calls, one after another, dial exactly once",
				Got:   "dial ran " + katatest.Times(n) + "",
				Means: "the connection is not remembered: every Get dials again",
				Hint:  2,
			})
		}
		for i, r := range got {
			if r.err != nil || r.conn == nil || r.conn.Session != 1 {
				t.Fatal(katatest.Failure{
					Want:  "every Get returns the connection of the first dial (session 1) and no error",
					Got:   fmt.Sprintf("Get number %d returned %s", i+1, describe(r)),
					Means: "Get must return the connection it made on the first call",
					Hint:  2,
				})
			}
		}
	})
}

// Task 1: 50 callers at once, one dial, one connection for all of them.
func TestGet_ConcurrentCallersShareOneDial(t *testing.T) {
	katatest.Watchdog(t, 1)
	db := &fakeDB{}
	c := NewClient(db.dial)
	results := getConcurrently(c, db)

	if !reportDials(t, c, db) {
		return // the rest follows from how many dials ran
	}

	var first *Conn
	firstAt := -1
	for i, r := range results {
		if r.panicked == nil && r.err == nil && r.conn != nil {
			first, firstAt = r.conn, i
			break
		}
	}
	if first == nil {
		t.Error(katatest.Failure{
			Want:  fmt.Sprintf("all %d callers get the same *Conn and no error", callers),
			Got:   fmt.Sprintf("no caller got a connection; caller 0 got %s", describe(results[0])),
			Means: "Get must dial and return the connection the Dialer made",
			Hint:  2,
		})
		return
	}
	nils := 0
	for _, r := range results {
		if r.panicked == nil && r.err == nil && r.conn == nil {
			nils++
		}
	}
	if nils > 0 {
		t.Error(katatest.Failure{
			Want: fmt.Sprintf("each of the %d callers waits for the dial and gets its connection", callers),
			Got:  fmt.Sprintf("%d of %d callers got a nil *Conn and a nil error", nils, callers),
			Means: "Get returned before the first dial finished: those callers saw \"already started\" " +
				"and went on with nothing. A done flag set before init finishes does this; " +
				"sync.Once makes later callers wait until the first one is done",
			Hint: 2,
		})
		return
	}
	for i, r := range results {
		if r.panicked != nil || r.err != nil || r.conn == nil || r.conn != first {
			t.Error(katatest.Failure{
				Want:  fmt.Sprintf("all %d callers get the same *Conn and no error", callers),
				Got:   fmt.Sprintf("caller %d got %s; caller %d got %s", firstAt, describe(result{conn: first}), i, describe(r)),
				Means: "the callers do not share one connection: each dial made its own, and the last one to be stored wins (check-then-act)",
				Hint:  1,
			})
			return
		}
	}
}

// Task 2: a failed dial is every caller's answer.
func TestGet_DialErrorReachesEveryCaller(t *testing.T) {
	katatest.Watchdog(t, 3)
	db := &fakeDB{err: errRefused}
	c := NewClient(db.dial)
	results := getConcurrently(c, db)

	if !reportDials(t, c, db) {
		return
	}

	wrong, firstWrong := 0, -1
	for i, r := range results {
		if r.panicked != nil || r.err != errRefused || r.conn != nil {
			wrong++
			if firstWrong < 0 {
				firstWrong = i
			}
		}
	}
	if wrong > 0 && sameButWrapped(results[firstWrong], errRefused) {
		t.Error(katatest.Failure{
			Want: fmt.Sprintf("all %d callers get the dial error itself (err == the Dialer's error) and a nil *Conn", callers),
			Got: fmt.Sprintf("%d of %d callers did not; caller %d got %s",
				wrong, callers, firstWrong, describe(results[firstWrong])),
			Means: wrappedDialError,
			Hint:  3,
		})
		return
	}
	if wrong > 0 {
		t.Error(katatest.Failure{
			Want: fmt.Sprintf("all %d callers get the dial error %q and a nil *Conn", callers, errRefused),
			Got: fmt.Sprintf("%d of %d callers did not; caller %d got %s",
				wrong, callers, firstWrong, describe(results[firstWrong])),
			Means: "only the first caller saw the dial error: the others got no connection and no error, " +
				"and would crash on the nil *Conn. Keep the error beside the connection, inside the once, " +
				"so that every caller returns both",
			Hint: 3,
		})
	}
}

// Task 2: the error is final.
func TestGet_FailedDialIsNotRetried(t *testing.T) {
	katatest.Watchdog(t, 3)
	db := &fakeDB{err: errRefused}
	c := NewClient(db.dial)
	for call := 1; call <= 3; call++ {
		conn, err := c.Get()
		if sameButWrapped(result{conn: conn, err: err}, errRefused) {
			t.Fatal(katatest.Failure{
				Want:  fmt.Sprintf("Get number %d returns the dial error itself (err == the Dialer's error) and a nil *Conn", call),
				Got:   describe(result{conn: conn, err: err}),
				Means: wrappedDialError,
				Hint:  3,
			})
		}
		if err != errRefused || conn != nil {
			t.Fatal(katatest.Failure{
				Want:  fmt.Sprintf("Get number %d returns the dial error %q and a nil *Conn", call, errRefused),
				Got:   describe(result{conn: conn, err: err}),
				Means: "the dial error was lost: only the first caller saw the dial error, or none did",
				Hint:  3,
			})
		}
	}
	if n := db.dials.Load(); n != 1 {
		t.Error(katatest.Failure{
			Want: "three Get calls after a failed dial: still exactly one dial",
			Got:  "dial ran " + katatest.Times(n) + "",
			Means: "a failed dial was retried on a later Get. This Client's contract: a failed dial is " +
				"final and every Get returns its error (as sync.OnceValues does); to retry, make a new Client",
			Hint: 3,
		})
	}
}
