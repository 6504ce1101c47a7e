package channels

import (
	"fmt"
	"runtime"
	"sync"
	"testing"
	"testing/synctest"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
)

// The events of one order, in the order a shop emits them.
var orderEvents = []string{"placed", "paid", "packed", "shipped", "delivered"}

// startEmit calls Emit and fails the test if Emit does not return.
func startEmit(t *testing.T, done <-chan struct{}, events ...string) (<-chan string, bool) {
	t.Helper()
	out, ok := call(func() <-chan string { return Emit(done, events...) })
	if !ok {
		t.Error(katatest.Failure{
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
			t.Error(katatest.Failure{
				Want: "the channel is closed after the last event, so the consumer's range loop ends",
				Got:  fmt.Sprintf("%d events, then nothing for a minute: the channel stayed open", len(got)),
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
			t.Error(katatest.Failure{
				Want:  "Emit() closes the channel at once: there is nothing to send",
				Got:   "the channel stayed open, with nothing to receive",
				Means: "the channel was never closed, so range never ends, even when there are no events at all",
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
		t.Error(katatest.Failure{
			Want: want,
			Got:  fmt.Sprintf("Emit was still trying to send %q %s", v, when),
			Means: "goroutine leak: Emit ignores done and waits on a send with no receiver. The consumer has quit, " +
				"so that send would wait forever. Wait for the send and for done in one select",
			Hint: 2,
		})
	case a == gotNone:
		t.Error(katatest.Failure{
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

// Task 2: a consumer that closes done and goes on receiving (it has not
// noticed yet that it quit) gets nothing more: the channel is closed.
//
// When done is closed, Emit is waiting to send "e-2" with nobody receiving,
// so a correct Emit can only take the done case and return. The test then
// receives at once. With one P (GOMAXPROCS 1) the test is waiting to
// receive before Emit's goroutine runs again, so an Emit that leaves only
// the select (a "break" inside select) and goes on to the next event finds
// both a receiver and done ready, and select picks the send half of the
// time: over 98 more events, it sends.
func TestEmit_NothingArrivesAfterDone(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	katatest.Bubble(t, 2, func(t *testing.T) {
		events := make([]string, 100)
		for i := range events {
			events[i] = fmt.Sprintf("e-%d", i+1)
		}
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
		quit()
		got, end := receiveAll(out, len(events))
		switch {
		case len(got) == len(events)-1:
			t.Error(katatest.Failure{
				Want: "after done is closed, nothing more arrives: the channel is closed",
				Got:  fmt.Sprintf("all %d remaining events arrived after done was closed", len(got)),
				Means: "goroutine leak: Emit ignores done, so once the consumer stops receiving its next send " +
					"waits forever. Wait for the send and for done in one select",
				Hint: 2,
			})
		case len(got) > 0:
			t.Error(katatest.Failure{
				Want: "after done is closed, nothing more arrives: the channel is closed",
				Got:  fmt.Sprintf("%d more event(s) after done was closed, first %q", len(got), got[0]),
				Means: "Emit went on to the next event after done was closed. A \"break\" inside select leaves " +
					"only the select, not the for loop: return from the goroutine (its deferred close runs), " +
					"or break out of the loop with a label",
				Hint: 2,
			})
		case end == gotNone:
			checkStopped(t, out, "after the consumer took one event, closed done and went on receiving")
		}
	})
}
