package channels

import (
	"fmt"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
)

// input returns a channel on which a goroutine of the test sends name-1,
// name-2, ..., each after the next of delays in fake time, and then closes
// it: the sender closes. It stops early, also closing the channel, when done
// is closed.
func input(done <-chan struct{}, name string, delays ...time.Duration) <-chan string {
	ch := make(chan string)
	go func() {
		defer close(ch)
		for i, d := range delays {
			select {
			case <-time.After(d):
			case <-done:
				return
			}
			select {
			case ch <- fmt.Sprintf("%s-%d", name, i+1):
			case <-done:
				return
			}
		}
	}()
	return ch
}

// closedAfter returns a channel that a goroutine of the test closes after d
// of fake time, without sending anything.
func closedAfter(d time.Duration) <-chan string {
	ch := make(chan string)
	go func() {
		time.Sleep(d)
		close(ch)
	}()
	return ch
}

// every returns n delays of d each.
func every(d time.Duration, n int) []time.Duration {
	ds := make([]time.Duration, n)
	for i := range ds {
		ds[i] = d
	}
	return ds
}

// mergeRun is one Merge under test, with its inputs stopped and its output
// drained when the test ends.
type mergeRun struct {
	done chan struct{}
	quit func() // closes done, once
	out  <-chan string
}

func newMergeRun(t *testing.T) *mergeRun {
	m := &mergeRun{done: make(chan struct{})}
	m.quit = sync.OnceFunc(func() { close(m.done) })
	t.Cleanup(func() { m.quit(); drain(m.out) })
	return m
}

// start calls Merge and fails the test if Merge does not return.
func (m *mergeRun) start(t *testing.T, a, b <-chan string) bool {
	t.Helper()
	out, ok := call(func() <-chan string { return Merge(m.done, a, b) })
	if !ok {
		t.Error(katatest.Failure{
			Want: "Merge returns its channel at once and forwards from a goroutine of its own",
			Got:  "Merge had not returned after a minute",
			Means: "Merge forwards before it returns the channel: nobody can receive from it yet, so its first " +
				"send waits forever. All goroutines are asleep",
			Hint: 4,
		})
		return false
	}
	if out == nil {
		t.Error(katatest.Failure{
			Want:  "Merge returns the channel it sends on",
			Got:   "a nil channel",
			Means: "a receive from a nil channel blocks forever",
			Hint:  4,
		})
		return false
	}
	m.out = out
	return true
}

// checkMerged compares what Merge forwarded (got, until end, at closedAt)
// with what the inputs sent (want). firstInput names the input that closed
// first, at firstClosed.
func checkMerged(t *testing.T, want, got []string, end arrival, closedAt time.Duration, firstInput string, firstClosed time.Duration) {
	t.Helper()
	d := firstDifference(want, got)
	switch {
	case d == "":
		return
	case hasEmpty(got):
		t.Error(katatest.Failure{
			Want: fmt.Sprintf("only the events the inputs sent: %q", want),
			Got:  d,
			Means: "zero value: Merge forwarded \"\" from a closed input. A receive from a closed channel never " +
				"blocks: it returns the zero value at once, with ok == false. A merge that ignores ok keeps " +
				"choosing the closed input and spins on it",
			Hint: 3,
		})
	case end == gotClosed && closedAt < firstClosed:
		t.Error(katatest.Failure{
			Want:  fmt.Sprintf("every event: %q", want),
			Got:   fmt.Sprintf("%s; the channel was closed at %v, before either input closed", d, closedAt),
			Means: "Merge closed its output before it had forwarded anything it was sent: forward from a goroutine of its own until both inputs are closed",
			Hint:  4,
		})
	case end == gotClosed && len(got) < len(want):
		t.Error(katatest.Failure{
			Want: fmt.Sprintf("every event: %q", want),
			Got:  fmt.Sprintf("%s; the channel was closed at %v, when %s closed", d, closedAt, firstInput),
			Means: "Merge stopped at the first closed input: it closed its output when " + firstInput +
				" closed, although the other input was still sending. Stop choosing the closed input " +
				"and keep forwarding the other until both are closed",
			Hint: 3,
		})
	default:
		t.Error(katatest.Failure{
			Want:  fmt.Sprintf("every event once, as it arrives: %q", want),
			Got:   d,
			Means: "Merge must forward each event from a and b exactly once, as soon as it arrives",
			Hint:  3,
		})
	}
}

// Task 3: everything from both inputs, in the order it arrives.
func TestMerge_ForwardsEveryEvent(t *testing.T) {
	katatest.Bubble(t, 4, func(t *testing.T) {
		m := newMergeRun(t)
		start := time.Now()
		a := input(m.done, "a", 10*ms, 20*ms, 20*ms) // a-1 at 10ms, a-2 at 30ms, a-3 at 50ms
		b := input(m.done, "b", 20*ms, 20*ms)        // b-1 at 20ms, b-2 at 40ms, closed at 40ms
		if !m.start(t, a, b) {
			return
		}
		want := []string{"a-1", "b-1", "a-2", "b-2", "a-3"}
		got, end := receiveAll(m.out, len(want)+3)
		checkMerged(t, want, got, end, time.Since(start), "b", 40*ms)
	})
}

// Task 3: a closes before it sends anything; b goes on.
func TestMerge_KeepsGoingWhenAEndsFirst(t *testing.T) {
	katatest.Bubble(t, 4, func(t *testing.T) {
		m := newMergeRun(t)
		start := time.Now()
		a := closedAfter(5 * ms)                     // closed at 5ms, sends nothing
		b := input(m.done, "b", 10*ms, 10*ms, 10*ms) // b-1 at 10ms, b-2 at 20ms, b-3 at 30ms
		if !m.start(t, a, b) {
			return
		}
		want := []string{"b-1", "b-2", "b-3"}
		got, end := receiveAll(m.out, len(want)+3)
		checkMerged(t, want, got, end, time.Since(start), "a", 5*ms)
	})
}

// Task 3: b closes before it sends anything; a goes on.
func TestMerge_KeepsGoingWhenBEndsFirst(t *testing.T) {
	katatest.Bubble(t, 4, func(t *testing.T) {
		m := newMergeRun(t)
		start := time.Now()
		a := input(m.done, "a", 10*ms, 10*ms, 10*ms) // a-1 at 10ms, a-2 at 20ms, a-3 at 30ms
		b := closedAfter(5 * ms)                     // closed at 5ms, sends nothing
		if !m.start(t, a, b) {
			return
		}
		want := []string{"a-1", "a-2", "a-3"}
		got, end := receiveAll(m.out, len(want)+3)
		checkMerged(t, want, got, end, time.Since(start), "b", 5*ms)
	})
}

// Task 3: the output is closed when, and only when, both inputs are.
func TestMerge_ClosesAfterBothInputs(t *testing.T) {
	katatest.Bubble(t, 4, func(t *testing.T) {
		m := newMergeRun(t)
		start := time.Now()
		a := input(m.done, "a", 10*ms)        // a-1 at 10ms, closed at 10ms
		b := input(m.done, "b", 20*ms, 30*ms) // b-1 at 20ms, b-2 at 50ms, closed at 50ms
		if !m.start(t, a, b) {
			return
		}
		want := []string{"a-1", "b-1", "b-2"}
		got, end := receiveAll(m.out, len(want)+3)
		closedAt := time.Since(start)
		switch {
		case end == gotNone:
			t.Error(katatest.Failure{
				Want: "Merge closes its channel when both inputs are closed, at 50ms",
				Got:  fmt.Sprintf("%q, then nothing for a minute: the channel stayed open", got),
				Means: "the channel was never closed, so range never ends: a consumer ranging over Merge's " +
					"output waits forever. Merge is the sender of its output, so it closes it (defer close)",
				Hint: 4,
			})
		case firstDifference(want, got) != "":
			checkMerged(t, want, got, end, closedAt, "a", 10*ms)
		case closedAt != 50*ms:
			t.Error(katatest.Failure{
				Want:  "Merge closes its channel at 50ms, the moment the second input closes",
				Got:   fmt.Sprintf("closed at %v", closedAt),
				Means: "Merge noticed the closed inputs late: it polls (sleeps and checks) instead of waiting in select",
				Hint:  4,
			})
		}
	})
}

// Task 4: the consumer quits while Merge holds an event.
func TestMerge_StopsWhenDoneIsClosed(t *testing.T) {
	katatest.Bubble(t, 4, func(t *testing.T) {
		m := newMergeRun(t)
		// The inputs stay open when the consumer quits: they stop only when
		// the test ends, so a Merge that waits for them to close would wait.
		inputsStop := make(chan struct{})
		t.Cleanup(func() { close(inputsStop) })
		a := input(inputsStop, "a", append([]time.Duration{10 * ms}, every(30*ms, 50)...)...) // a-1 at 10ms, a-2 at 40ms, ...
		b := input(inputsStop, "b", append([]time.Duration{15 * ms}, every(30*ms, 50)...)...) // b-1 at 15ms, b-2 at 45ms, ...
		if !m.start(t, a, b) {
			return
		}
		if v, arr := receive(m.out); arr != gotValue || v != "a-1" {
			t.Error(katatest.Failure{
				Want:  "the first event is \"a-1\", at 10ms",
				Got:   fmt.Sprintf("%q (closed: %v)", v, arr == gotClosed),
				Means: "Merge must forward events as they arrive",
				Hint:  3,
			})
			return
		}
		katatest.Advance(10 * ms) // 20ms: b-1 has arrived at Merge, and nobody receives it
		m.quit()                  // the consumer quits
		synctest.Wait()
		want := "after done is closed, Merge returns at once: its channel is closed and empty"
		switch v, arr := poll(m.out); {
		case arr == gotValue && cap(m.out) > 0:
			t.Error(katatest.Failure{
				Want: want,
				Got:  fmt.Sprintf("%q was waiting in the channel's buffer (cap %d) after done was closed", v, cap(m.out)),
				Means: "the channel is buffered, so Merge forwarded an event nobody asked for. Merge's channel is " +
					"unbuffered: each send is a hand-off to a consumer that is ready for it",
				Hint: 4,
			})
		case arr == gotValue:
			t.Error(katatest.Failure{
				Want: want,
				Got:  fmt.Sprintf("Merge was still trying to send %q after done was closed", v),
				Means: "goroutine leak: Merge waits on a send with no receiver. The consumer has quit, so that " +
					"send waits forever. Send in a select that also waits for done",
				Hint: 4,
			})
		case arr == gotNone:
			t.Error(katatest.Failure{
				Want: want,
				Got:  "the channel was still open after done was closed",
				Means: "Merge did not stop when done was closed: it keeps waiting for its inputs (or stopped " +
					"without closing its output). The inputs are still open, and may never close: then that " +
					"goroutine leaks. Wait for done in the same select as the inputs, and close the output " +
					"on every way out",
				Hint: 4,
			})
		}
	})
}
