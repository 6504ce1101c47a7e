package channels

import (
	"fmt"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
	"github.com/gokatas/concurrency/tools/evidence"
)

// The events of one order, in the order a shop emits them.
var orderEvents = []string{"placed", "paid", "packed", "shipped", "delivered"}

// startEmit calls Emit and fails the test if Emit does not return.
func startEmit(t *testing.T, done <-chan struct{}, events ...string) (<-chan string, bool) {
	t.Helper()
	out, ok := call(func() <-chan string { return Emit(done, events...) })
	if !ok {
		failAs(t, evidence.Deadlock, katatest.Failure{
			Want: "Emit returns the channel at once and sends from a goroutine of its own",
			Got:  "Emit had not returned after a minute",
			Means: "Emit sends before it returns the channel. A send on an unbuffered channel waits for a receiver, " +
				"and nobody can receive before Emit returns: all goroutines are asleep. Outside a test Go stops " +
				"such a program with \"fatal error: all goroutines are asleep - deadlock!\"",
			Hint: 1,
		})
		return nil, false
	}
	if out == nil {
		t.Error(katatest.Failure{
			Want:  "Emit returns the channel it sends on",
			Got:   "a nil channel",
			Means: "a receive from a nil channel blocks forever: make the channel with make(chan string)",
			Hint:  1,
		})
		return nil, false
	}
	return out, true
}

// Task 1: every event, in order.
func TestEmit_SendsEveryEventInOrder(t *testing.T) {
	katatest.Bubble(t, 1, func(t *testing.T) {
		var out <-chan string
		t.Cleanup(func() { drain(out) })
		out, ok := startEmit(t, nil, orderEvents...) // nil done: the consumer never quits early
		if !ok {
			return
		}
		got, _ := receiveAll(out, len(orderEvents))
		if d := firstDifference(orderEvents, got); d != "" {
			t.Error(katatest.Failure{
				Want:  fmt.Sprintf("the events %q, in this order", orderEvents),
				Got:   d,
				Means: "Emit must send each event once, in the order given, one send per event",
				Hint:  1,
			})
		}
	})
}

// Task 1: the sender closes, so that range ends.
func TestEmit_ClosesAfterTheLastEvent(t *testing.T) {
	katatest.Bubble(t, 1, func(t *testing.T) {
		var out <-chan string
		t.Cleanup(func() { drain(out) })
		done := make(chan struct{}) // never closed: the consumer reads to the end
		out, ok := startEmit(t, done, orderEvents...)
		if !ok {
			return
		}
		got, end := receiveAll(out, len(orderEvents)+1)
		switch {
		case end == gotNone:
			failAs(t, evidence.Deadlock, katatest.Failure{
				Want: "the channel is closed after the last event, so the consumer's range loop ends",
				Got:  katatest.Count(len(got), "event") + ", then nothing for a minute: the channel stayed open",
				Means: "the channel was never closed, so range never ends: the consumer waits forever for an event " +
					"that will not come. The sender closes the channel after its last send",
				Hint: 1,
			})
		case end == gotValue || len(got) != len(orderEvents):
			t.Error(katatest.Failure{
				Want:  fmt.Sprintf("%d events, then the channel closed", len(orderEvents)),
				Got:   fmt.Sprintf("%q", got),
				Means: "Emit must send each event once and then close the channel",
				Hint:  1,
			})
		}
	})
}

// Task 1: nothing to send, closed at once.
func TestEmit_NoEvents(t *testing.T) {
	katatest.Bubble(t, 1, func(t *testing.T) {
		var out <-chan string
		t.Cleanup(func() { drain(out) })
		out, ok := startEmit(t, nil)
		if !ok {
			return
		}
		v, a := receive(out)
		switch a {
		case gotValue:
			t.Error(katatest.Failure{
				Want:  "Emit() closes the channel without sending",
				Got:   fmt.Sprintf("the event %q", v),
				Means: "Emit sent a value it was not given",
				Hint:  1,
			})
		case gotNone:
			failAs(t, evidence.Deadlock, katatest.Failure{
				Want:  "Emit() closes the channel at once: there is nothing to send",
				Got:   "the channel stayed open, with nothing to receive",
				Means: "the channel was never closed, so range never ends, even when there are no events at all",
				Hint:  1,
			})
		}
	})
}

// Task 1: a consumer that is busy between events still gets every one.
//
// After each event the consumer works for 10ms before it receives again.
// Emit's send waits for it: an Emit that skips a send when nobody is
// waiting (a select with a default case) loses the events sent while the
// consumer was busy.
func TestEmit_SlowConsumer(t *testing.T) {
	katatest.Bubble(t, 1, func(t *testing.T) {
		var out <-chan string
		t.Cleanup(func() { drain(out) })
		out, ok := startEmit(t, nil, orderEvents...)
		if !ok {
			return
		}
		got, end := receiveSlowly(out, 10*ms, len(orderEvents)+1)
		if d := firstDifference(orderEvents, got); d != "" {
			t.Error(katatest.Failure{
				Want: fmt.Sprintf("the events %q, in this order, to a consumer that is busy for 10ms after each", orderEvents),
				Got:  d,
				Means: "events were dropped while the consumer was busy: a send in a select with a default case " +
					"gives up when nobody is waiting at that instant. A send on an unbuffered channel waits for " +
					"the receiver (backpressure); only done may end that wait",
				Hint: 2,
			})
			return
		}
		if end == gotNone {
			failAs(t, evidence.Deadlock, katatest.Failure{
				Want:  "the channel is closed after the last event",
				Got:   katatest.Count(len(got), "event") + ", then nothing for a minute: the channel stayed open",
				Means: "the channel was never closed, so range never ends",
				Hint:  1,
			})
		}
	})
}

// checkStopped looks at out right after done was closed and every goroutine
// had settled: a generator that honours done has closed out and sends
// nothing more.
func checkStopped(t *testing.T, out <-chan string, when string) {
	t.Helper()
	want := "after done is closed, Emit sends nothing more: its channel is closed and empty"
	v, a := poll(out)
	switch {
	case a == gotValue && cap(out) > 0:
		t.Error(katatest.Failure{
			Want: want,
			Got:  fmt.Sprintf("%q was waiting in the channel's buffer (cap %d) %s", v, cap(out), when),
			Means: "the channel is buffered, so Emit ran ahead of its consumer and sent events nobody asked for. " +
				"Emit's channel is unbuffered: each send is a hand-off to a receiver that is ready for it",
			Hint: 2,
		})
	case a == gotValue:
		failAs(t, evidence.Leak, katatest.Failure{
			Want: want,
			Got:  fmt.Sprintf("Emit was still trying to send %q %s", v, when),
			Means: "goroutine leak: Emit ignores done and waits on a send with no receiver. The consumer has quit, " +
				"so that send would wait forever. Wait for the send and for done in one select",
			Hint: 2,
		})
	case a == gotNone:
		failAs(t, evidence.Deadlock, katatest.Failure{
			Want: want,
			Got:  "the channel was still open, with nothing to receive, " + when,
			Means: "Emit stopped sending but did not close the channel: a consumer still ranging over it would " +
				"wait forever. Close it on every way out of the goroutine (defer close)",
			Hint: 1,
		})
	}
}

// Task 2: the consumer quits after the first event.
func TestEmit_StopsWhenDoneIsClosed(t *testing.T) {
	katatest.Bubble(t, 2, func(t *testing.T) {
		done := make(chan struct{})
		quit := sync.OnceFunc(func() { close(done) })
		var out <-chan string
		t.Cleanup(func() { quit(); drain(out) })
		out, ok := startEmit(t, done, orderEvents...)
		if !ok {
			return
		}
		if v, a := receive(out); a != gotValue || v != orderEvents[0] {
			t.Error(katatest.Failure{
				Want:  fmt.Sprintf("the first event is %q", orderEvents[0]),
				Got:   fmt.Sprintf("%q (closed: %v)", v, a == gotClosed),
				Means: "Emit must send the events in order before the consumer quits",
				Hint:  1,
			})
			return
		}
		quit() // the consumer has seen enough
		synctest.Wait()
		checkStopped(t, out, "after the consumer took one event and closed done")
	})
}

// Task 2: the consumer quits before it receives anything.
func TestEmit_DoneClosedBeforeTheFirstEvent(t *testing.T) {
	katatest.Bubble(t, 2, func(t *testing.T) {
		done := make(chan struct{})
		close(done)
		var out <-chan string
		t.Cleanup(func() { drain(out) })
		out, ok := startEmit(t, done, orderEvents...)
		if !ok {
			return
		}
		synctest.Wait()
		checkStopped(t, out, "although done was closed before Emit was called")
	})
}

// Task 2: Emit returns the moment its select sees done, and sends nothing
// more, even to a consumer that goes on receiving.
//
// The test lets Emit wait to send "e-2" with nobody receiving, then wakes
// that select through done, and receives at once, as a consumer that has
// not noticed yet that it quit. To force the interleaving on every run,
// whatever the number of Ps, done here is not closed at first: the test
// sends it one value, which Emit's "case <-done:" takes exactly as it would
// take a closed done, and closes done only when the test ends. A correct
// Emit has returned by then, closing its channel. An Emit that leaves only
// the select (a "break" inside select) goes on to "e-3", where done is not
// ready any more, and the test receives "e-3".
func TestEmit_NothingArrivesAfterDone(t *testing.T) {
	katatest.Bubble(t, 2, func(t *testing.T) {
		events := []string{"e-1", "e-2", "e-3", "e-4"}
		done := make(chan struct{})
		quit := sync.OnceFunc(func() { close(done) })
		var out <-chan string
		t.Cleanup(func() { quit(); drain(out) })
		out, ok := startEmit(t, done, events...)
		if !ok {
			return
		}
		if v, a := receive(out); a != gotValue || v != events[0] {
			t.Error(katatest.Failure{
				Want:  fmt.Sprintf("the first event is %q", events[0]),
				Got:   fmt.Sprintf("%q (closed: %v)", v, a == gotClosed),
				Means: "Emit must send the events in order before the consumer quits",
				Hint:  1,
			})
			return
		}
		synctest.Wait() // Emit waits to send "e-2", and nobody receives
		if cap(out) > 0 {
			checkStopped(t, out, "after the consumer took one event")
			return
		}
		select {
		case done <- struct{}{}: // Emit's select took done
		case <-time.After(patience):
			if _, a := poll(out); a == gotClosed {
				t.Error(katatest.Failure{
					Want: "Emit waits to send \"e-2\" until the consumer receives it or closes done",
					Got:  "Emit closed its channel after \"e-1\", while the consumer was busy, before done was closed",
					Means: "events were dropped while the consumer was busy: a send in a select with a default " +
						"case gives up when nobody is waiting at that instant",
					Hint: 2,
				})
				return
			}
			failAs(t, evidence.Leak, katatest.Failure{
				Want: "Emit, waiting to send \"e-2\" with nobody receiving, takes done at once",
				Got:  "Emit did not receive from done for a minute: it was still waiting on its send",
				Means: "goroutine leak: Emit ignores done, so once the consumer stops receiving its send " +
					"waits forever. Wait for the send and for done in one select",
				Hint: 2,
			})
			return
		}
		switch v, a := receive(out); a {
		case gotValue:
			t.Error(katatest.Failure{
				Want: "after its select has taken done, Emit sends nothing more: its channel is closed",
				Got:  fmt.Sprintf("%q arrived after Emit had taken done", v),
				Means: "Emit went on to the next event after done was closed. A \"break\" inside select leaves " +
					"only the select, not the for loop: return from the goroutine (its deferred close runs), " +
					"or break out of the loop with a label",
				Hint: 2,
			})
		case gotNone:
			checkStopped(t, out, "after Emit had taken done")
		}
	})
}
