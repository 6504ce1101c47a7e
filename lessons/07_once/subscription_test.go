package once

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
)

// closers is how many goroutines call Close at the same time.
const closers = 20

var errBroker = errors.New("unsubscribe: broker unavailable")

// fakeBroker provides the unsubscribe function the tests control. It counts
// its calls and records whether Done was already closed when it ran.
//
// Once a test has started its closers (racing), every unsubscribe call first
// waits until each closer has reached its Close call, then waits at a
// barrier for the other calls. So if Close lets two callers past its check,
// it lets all of them past, before the first has closed anything.
type fakeBroker struct {
	err       error           // what unsubscribe returns; nil to succeed
	calls     atomic.Int32    // how many times unsubscribe has been called
	done      <-chan struct{} // the subscription's Done channel
	doneEarly atomic.Bool     // Done was closed when unsubscribe was called

	racing  atomic.Bool       // the closers have started
	arrived sync.WaitGroup    // one Done per closer, just before it calls Close
	barrier *katatest.Barrier // every call waits here while racing
}

func (b *fakeBroker) unsubscribe() error {
	b.calls.Add(1)
	if b.done != nil {
		select {
		case <-b.done:
			b.doneEarly.Store(true)
		default:
		}
	}
	if b.racing.Load() {
		b.arrived.Wait()
		b.barrier.Wait()
	}
	return b.err
}

// subscribe returns a subscription whose unsubscribe is b's.
func subscribe(b *fakeBroker) *Subscription {
	s := NewSubscription(b.unsubscribe)
	b.done = s.Done() // read once here, so the fake never calls into the code under test
	return s
}

// closeSafely calls Close and returns its error, or the panic it raised: a
// panic in a goroutine would end the whole test binary.
func closeSafely(s *Subscription) (err error, panicked any) {
	defer func() { panicked = recover() }()
	return s.Close(), nil
}

func isClosed(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// Task 3: Close, then Close again.
func TestClose_Twice(t *testing.T) {
	katatest.Watchdog(t, 4)
	b := &fakeBroker{}
	s := subscribe(b)

	if err, p := closeSafely(s); p != nil || err != nil {
		t.Fatal(katatest.Failure{
			Want:  "the first Close returns nil when unsubscribe succeeds",
			Got:   fmt.Sprintf("err=%v, panic=%v", err, p),
			Means: "Close must call unsubscribe, close Done and return unsubscribe's error",
			Hint:  4,
		})
	}
	err, p := closeSafely(s)
	if p != nil {
		t.Fatal(katatest.Failure{
			Want: "a second Close returns nil and does nothing",
			Got:  fmt.Sprintf("the second Close panicked: %v", p),
			Means: "Close panicked the second time: it closes Done on every call, and closing a " +
				"closed channel panics. Any code path (a deferred Close, a shutdown handler, an " +
				"error path) may call Close again; its work must happen once",
			Hint: 4,
		})
	}
	if err != nil {
		t.Error(katatest.Failure{
			Want:  "the second Close returns what the first returned: nil",
			Got:   fmt.Sprintf("err=%v", err),
			Means: "every Close call reports the result of the one unsubscribe",
			Hint:  4,
		})
	}
	if n := b.calls.Load(); n != 1 {
		t.Error(katatest.Failure{
			Want:  "two Close calls unsubscribe exactly once",
			Got:   "unsubscribe ran " + katatest.Times(n),
			Means: "the work of Close is not guarded: every call repeats it",
			Hint:  4,
		})
	}
}

// Task 3: 20 Close calls at the same time.
func TestClose_ConcurrentCallsDoNotPanic(t *testing.T) {
	katatest.Watchdog(t, 4)
	b := &fakeBroker{barrier: katatest.NewBarrier(closers)}
	s := subscribe(b)

	type outcome struct {
		err        error
		panicked   any
		doneOnExit bool // Done was closed when this Close returned
	}
	outcomes := make([]outcome, closers)
	b.arrived.Add(closers)
	b.racing.Store(true)
	var wg sync.WaitGroup
	for i := range closers {
		wg.Go(func() {
			b.arrived.Done()
			err, p := closeSafely(s)
			outcomes[i] = outcome{err: err, panicked: p, doneOnExit: isClosed(b.done)}
		})
	}
	wg.Wait()

	panics, early, wrongErr := 0, 0, 0
	var firstPanic any
	var firstErr error
	for _, o := range outcomes {
		switch {
		case o.panicked != nil:
			panics++
			if firstPanic == nil {
				firstPanic = o.panicked
			}
		case !o.doneOnExit:
			early++
		case o.err != nil:
			wrongErr++
			firstErr = o.err
		}
	}
	if panics > 0 {
		t.Error(katatest.Failure{
			Want: fmt.Sprintf("%d Close calls at the same time all return, and none panics", closers),
			Got:  fmt.Sprintf("%d of %d Close calls panicked: %v", panics, closers, firstPanic),
			Means: "double close of a channel: several Close calls saw the subscription still open " +
				"(check-then-act) and each one closed Done. A check before the close (a select with " +
				"default, an unguarded flag) does not help: the check and the close must be one step",
			Hint: 4,
		})
	}
	if n := b.calls.Load(); n != 1 {
		t.Error(katatest.Failure{
			Want: fmt.Sprintf("%d Close calls at the same time unsubscribe exactly once", closers),
			Got:  "unsubscribe ran " + katatest.Times(n),
			Means: "check-then-act: every Close that saw the subscription open unsubscribed, " +
				"before the first had finished",
			Hint: 4,
		})
	}
	if early > 0 {
		t.Error(katatest.Failure{
			Want: "when any Close call returns, Done is already closed",
			Got:  fmt.Sprintf("%d of %d Close calls returned before Done was closed", early, closers),
			Means: "Close returned before the first Close finished: a closed flag set before the work " +
				"is done lets later callers leave early, and a caller that waits on Done after Close " +
				"may still wait. Later callers must wait for the one doing the work",
			Hint: 4,
		})
	}
	if wrongErr > 0 {
		t.Error(katatest.Failure{
			Want:  "every Close returns nil, the result of the one successful unsubscribe",
			Got:   fmt.Sprintf("%d of %d Close calls returned an error: %v", wrongErr, closers, firstErr),
			Means: "Close invented an error of its own: every call must return the one unsubscribe's result",
			Hint:  4,
		})
	}
	if !isClosed(b.done) {
		t.Error(katatest.Failure{
			Want:  "Done is closed after Close",
			Got:   "Done is still open",
			Means: "Close did not close Done: readers selecting on it would wait forever",
			Hint:  4,
		})
	}
}

// Task 3: the unsubscribe error, to every Close.
func TestClose_ReportsUnsubscribeError(t *testing.T) {
	katatest.Watchdog(t, 4)
	b := &fakeBroker{err: errBroker}
	s := subscribe(b)

	for call := 1; call <= 3; call++ {
		err, p := closeSafely(s)
		if p != nil {
			t.Fatal(katatest.Failure{
				Want:  fmt.Sprintf("Close number %d returns the unsubscribe error", call),
				Got:   fmt.Sprintf("it panicked: %v", p),
				Means: "Close panicked the second time: it repeats work that must happen once",
				Hint:  4,
			})
		}
		if err != errBroker && errors.Is(err, errBroker) {
			t.Fatal(katatest.Failure{
				Want:  fmt.Sprintf("Close number %d returns the unsubscribe error itself (err == what unsubscribe returned)", call),
				Got:   fmt.Sprintf("err=%q, which wraps it", err),
				Means: wrappedUnsubscribeError,
				Hint:  4,
			})
		}
		if err != errBroker {
			t.Fatal(katatest.Failure{
				Want:  fmt.Sprintf("Close number %d returns the unsubscribe error %q", call, errBroker),
				Got:   fmt.Sprintf("err=%v", err),
				Means: "the unsubscribe error was lost: only the first Close saw it, or none did. Every Close reports the one unsubscribe's result",
				Hint:  4,
			})
		}
		if !isClosed(b.done) {
			t.Fatal(katatest.Failure{
				Want:  "Done is closed after Close, even when unsubscribe failed",
				Got:   fmt.Sprintf("Done is still open after Close number %d", call),
				Means: "a failed unsubscribe must still end the subscription, or readers of Done wait forever",
				Hint:  4,
			})
		}
	}
	if n := b.calls.Load(); n != 1 {
		t.Error(katatest.Failure{
			Want:  "three Close calls unsubscribe exactly once, even though it failed",
			Got:   "unsubscribe ran " + katatest.Times(n),
			Means: "a failed unsubscribe was retried: Close is final, it reports the error and does not try again",
			Hint:  4,
		})
	}
}

// Task 3: Done stays open until unsubscribe has returned.
func TestClose_DoneClosesAfterUnsubscribe(t *testing.T) {
	katatest.Watchdog(t, 4)
	b := &fakeBroker{}
	s := subscribe(b)

	if s.Done() != b.done {
		t.Error(katatest.Failure{
			Want:  "Done returns the same channel on every call",
			Got:   "two calls returned different channels",
			Means: "a reader that called Done earlier would wait on a channel Close never closes",
			Hint:  4,
		})
	}
	if isClosed(b.done) {
		t.Fatal(katatest.Failure{
			Want:  "Done is open until Close is called",
			Got:   "Done is closed on a new subscription",
			Means: "readers would stop at once, before receiving anything",
			Hint:  4,
		})
	}
	if err, p := closeSafely(s); p != nil || err != nil {
		t.Fatal(katatest.Failure{
			Want:  "Close returns nil when unsubscribe succeeds",
			Got:   fmt.Sprintf("err=%v, panic=%v", err, p),
			Means: "Close must call unsubscribe, close Done and return unsubscribe's error",
			Hint:  4,
		})
	}
	if b.doneEarly.Load() {
		t.Error(katatest.Failure{
			Want: "Done is closed after unsubscribe has returned",
			Got:  "Done was already closed when unsubscribe was called",
			Means: "Done was closed before unsubscribe returned: a reader of Done takes the " +
				"subscription for ended while the broker may still deliver to it. Unsubscribe first, then close Done",
			Hint: 4,
		})
	}
	if !isClosed(b.done) {
		t.Error(katatest.Failure{
			Want:  "Done is closed when Close returns",
			Got:   "Done is still open",
			Means: "Close did not close Done: readers selecting on it would wait forever",
			Hint:  4,
		})
	}
	if s.Done() != b.done {
		t.Error(katatest.Failure{
			Want:  "Done returns the same channel on every call, after Close too",
			Got:   "Done returned another channel after Close",
			Means: "a reader that called Done before Close and one that calls it after must watch the same channel",
			Hint:  4,
		})
	}
}

// wrappedUnsubscribeError explains a Close that wraps the unsubscribe error.
const wrappedUnsubscribeError = "Close wraps the unsubscribe error. The contract is \"the error of that one unsubscribe " +
	"call\": its own value, which callers may compare with ==, not a new error around it"

// Task 3: 20 Close calls at the same time, when unsubscribe fails. The
// test runs in a child process of its own (katatest.Isolate), so that the
// race detector, which reports each race once per process, reports an
// unordered write of the error on every run.
func TestClose_ConcurrentCallsShareTheError(t *testing.T) {
	katatest.Isolate(t, katatest.Isolation{Hint: 4}, closeConcurrentlyWithError)
}

func closeConcurrentlyWithError(t *testing.T) {
	b := &fakeBroker{err: errBroker, barrier: katatest.NewBarrier(closers)}
	s := subscribe(b)
	errs := make([]error, closers)
	panics := make([]any, closers)
	b.arrived.Add(closers)
	b.racing.Store(true)
	var wg sync.WaitGroup
	for i := range closers {
		wg.Go(func() {
			b.arrived.Done()
			errs[i], panics[i] = closeSafely(s)
		})
	}
	wg.Wait()
	for i := range closers {
		switch {
		case panics[i] != nil:
			t.Fatal(katatest.Failure{
				Want:  fmt.Sprintf("%d Close calls at the same time all return, and none panics", closers),
				Got:   fmt.Sprintf("Close call %d panicked: %v", i, panics[i]),
				Means: "double close of a channel: several Close calls saw the subscription still open and each one closed Done",
				Hint:  4,
			})
		case errs[i] != errBroker && errors.Is(errs[i], errBroker):
			t.Fatal(katatest.Failure{
				Want:  fmt.Sprintf("every one of %d Close calls at once returns the unsubscribe error itself", closers),
				Got:   fmt.Sprintf("Close call %d returned %q, which wraps it", i, errs[i]),
				Means: wrappedUnsubscribeError,
				Hint:  4,
			})
		case errs[i] != errBroker:
			t.Fatal(katatest.Failure{
				Want: fmt.Sprintf("every one of %d Close calls at once returns the unsubscribe error %q", closers, errBroker),
				Got:  fmt.Sprintf("Close call %d returned %v", i, errs[i]),
				Means: "a Close that ran at the same time as the one that unsubscribed did not get its error. The error must " +
					"be stored before any caller can read it: inside the once, before Done is closed",
				Hint: 4,
			})
		}
	}
}

// Task 3: Done, from many goroutines at once, on a new subscription. Only
// the race detector can see a channel made lazily without a lock (nothing
// the test controls runs inside Done), so the test runs in a child process
// of its own, where the detector reports the race on every run.
func TestDone_SameChannelForEveryone(t *testing.T) {
	katatest.Isolate(t, katatest.Isolation{Hint: 4}, doneFromManyGoroutines)
}

func doneFromManyGoroutines(t *testing.T) {
	b := &fakeBroker{}
	s := NewSubscription(b.unsubscribe) // no Done call first: the readers are the first
	const readers = 8
	chans := make([]<-chan struct{}, readers)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range readers {
		wg.Go(func() {
			<-start
			chans[i] = s.Done()
		})
	}
	var closeErr error
	var closePanic any
	wg.Go(func() {
		<-start
		closeErr, closePanic = closeSafely(s)
	})
	close(start)
	wg.Wait()
	if closePanic != nil || closeErr != nil {
		t.Fatal(katatest.Failure{
			Want:  "Close returns nil when unsubscribe succeeds",
			Got:   fmt.Sprintf("err=%v, panic=%v", closeErr, closePanic),
			Means: "Close must call unsubscribe, close Done and return unsubscribe's error",
			Hint:  4,
		})
	}
	for i, ch := range chans {
		if ch != chans[0] || ch == nil || !isClosed(ch) {
			t.Fatal(katatest.Failure{
				Want: fmt.Sprintf("%d goroutines that call Done at once on a new subscription, while it is closed, all get one channel, closed by Close", readers),
				Got:  fmt.Sprintf("reader 0 and reader %d got different channels, or one that Close did not close", i),
				Means: "Done makes or chooses its channel without synchronization: two first callers each made one, and " +
					"Close closed only one of them, so a reader of the other waits forever. Make the channel once, in NewSubscription",
				Hint: 4,
			})
		}
	}
}
