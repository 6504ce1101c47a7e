package channels

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
	"github.com/gokatas/concurrency/tools/evidence"
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

// A burst is an input that sends its events as fast as they are taken, and
// counts the sends that went through: how far Merge has run ahead of its
// consumer.
type burst struct {
	ch chan string

	mu   sync.Mutex
	sent int
}

func newBurst(done <-chan struct{}, name string, n int) *burst {
	b := &burst{ch: make(chan string)}
	go func() {
		defer close(b.ch)
		for i := range n {
			select {
			case b.ch <- fmt.Sprintf("%s-%d", name, i+1):
				b.mu.Lock()
				b.sent++
				b.mu.Unlock()
			case <-done:
				return
			}
		}
	}()
	return b
}

func (b *burst) count() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.sent
}

// silent returns a channel that stays open and sends nothing until stop is
// closed, and then is closed: an input that has nothing to say for now.
func silent(stop <-chan struct{}) <-chan string {
	ch := make(chan string)
	go func() {
		<-stop
		close(ch)
	}()
	return ch
}

// mergeRunning reports whether a goroutine of the bubble is still inside
// merge.go, once every goroutine has settled.
func mergeRunning() bool {
	for _, g := range evidence.ParseGoroutines(katatest.BubbleGoroutines()) {
		for _, f := range g.Frames {
			if !f.CreatedBy && strings.HasSuffix(f.File, "/merge.go") {
				return true
			}
		}
	}
	return false
}

// perInput returns the events of got that came from the input name, in order.
func perInput(got []string, name string) []string {
	var out []string
	for _, e := range got {
		if strings.HasPrefix(e, name+"-") {
			out = append(out, e)
		}
	}
	return out
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
		failAs(t, evidence.Deadlock, katatest.Failure{
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
			failAs(t, evidence.Deadlock, katatest.Failure{
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
			failAs(t, evidence.Leak, katatest.Failure{
				Want: want,
				Got:  fmt.Sprintf("Merge was still trying to send %q after done was closed", v),
				Means: "goroutine leak: Merge waits on a send with no receiver. The consumer has quit, so that " +
					"send waits forever. Send in a select that also waits for done",
				Hint: 4,
			})
		case arr == gotNone:
			checkNotStopped(t, want, "after done was closed")
		}
	})
}

// checkNotStopped explains an output that is still open, with nothing in
// it, after done was closed and every goroutine had settled.
func checkNotStopped(t *testing.T, want, when string) {
	t.Helper()
	if mergeRunning() {
		failAs(t, evidence.Leak, katatest.Failure{
			Want: want,
			Got:  "the channel was still open " + when + ", and Merge's goroutine was still waiting",
			Means: "goroutine leak: Merge did not stop when done was closed: it keeps waiting for its inputs, " +
				"which may never send or close again, so that goroutine waits forever. Wait for done in " +
				"every select: the one that receives from the inputs (or ranges over one of them) too",
			Hint: 4,
		})
		return
	}
	failAs(t, evidence.Deadlock, katatest.Failure{
		Want: want,
		Got:  "the channel was still open " + when + ", and no goroutine of Merge was left",
		Means: "Merge stopped without closing its output: a consumer ranging over it waits forever. " +
			"Close the output on every way out (defer close)",
		Hint: 4,
	})
}

// Task 4: the consumer quits while Merge waits for inputs that have
// nothing to send: both open, or one closed and the other open.
func TestMerge_StopsWhileWaiting(t *testing.T) {
	katatest.Bubble(t, 4, func(t *testing.T) {
		for _, aCloses := range []bool{false, true} {
			m := newMergeRun(t)
			inputsStop := make(chan struct{})
			t.Cleanup(func() { close(inputsStop) })
			a, setup := silent(inputsStop), "both inputs open and silent"
			if aCloses {
				a, setup = closedAfter(5*ms), "a closed at 5ms, b open and silent"
			}
			if !m.start(t, a, silent(inputsStop)) {
				return
			}
			katatest.Advance(10 * ms)
			m.quit() // the consumer quits at 10ms
			synctest.Wait()
			want := fmt.Sprintf("with %s, Merge returns as soon as done is closed: its channel is closed", setup)
			switch v, arr := poll(m.out); arr {
			case gotValue:
				t.Error(katatest.Failure{
					Want:  want,
					Got:   fmt.Sprintf("the event %q, which no input sent", v),
					Means: "zero value: Merge forwarded \"\" from a closed input",
					Hint:  3,
				})
				return
			case gotNone:
				checkNotStopped(t, want, "after done was closed, with "+setup)
				return
			}
		}
	})
}

// A tally counts, per input, the events that Merge took from the inputs it
// makes.
type tally struct {
	mu   sync.Mutex
	sent map[string]int
}

// input is like the function input, and counts every send that went through.
func (ty *tally) input(done <-chan struct{}, name string, delays ...time.Duration) <-chan string {
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
				ty.mu.Lock()
				ty.sent[name]++
				ty.mu.Unlock()
			case <-done:
				return
			}
		}
	}()
	return ch
}

func (ty *tally) taken(name string) int {
	ty.mu.Lock()
	defer ty.mu.Unlock()
	return ty.sent[name]
}

// Task 3: a consumer that is busy between events still gets every one,
// with the inputs closing in every order.
//
// After each event the consumer works for 25ms before it receives again,
// longer than the inputs wait between sends. Merge's send waits for it: a
// Merge that skips the send when nobody is waiting (a select with a default
// case) loses the events it received while the consumer was busy.
func TestMerge_SlowConsumer(t *testing.T) {
	type schedule struct {
		name string
		a, b []time.Duration // the delays of each input's events; nil: closed at 5ms, sends nothing
	}
	schedules := []schedule{
		{name: "a ends first", a: []time.Duration{10 * ms, 5 * ms}, b: []time.Duration{12 * ms, 10 * ms, 10 * ms}},
		{name: "b ends first", a: []time.Duration{12 * ms, 10 * ms, 10 * ms}, b: []time.Duration{10 * ms, 5 * ms}},
		{name: "both end at once", a: []time.Duration{10 * ms, 10 * ms}, b: []time.Duration{10 * ms, 10 * ms}},
		{name: "b sends nothing", a: []time.Duration{10 * ms, 1 * ms, 1 * ms}},
	}
	for _, sc := range schedules {
		t.Run(strings.ReplaceAll(sc.name, " ", "_"), func(t *testing.T) {
			katatest.Bubble(t, 3, func(t *testing.T) {
				m := newMergeRun(t)
				ty := &tally{sent: map[string]int{}}
				in := func(name string, delays []time.Duration) <-chan string {
					if delays == nil {
						return closedAfter(5 * ms)
					}
					return ty.input(m.done, name, delays...)
				}
				if !m.start(t, in("a", sc.a), in("b", sc.b)) {
					return
				}
				got, end := receiveSlowly(m.out, 25*ms, 20)
				for _, in := range []struct {
					name   string
					delays []time.Duration
				}{{"a", sc.a}, {"b", sc.b}} {
					var want []string
					for i := range in.delays {
						want = append(want, fmt.Sprintf("%s-%d", in.name, i+1))
					}
					d := firstDifference(want, perInput(got, in.name))
					if d == "" {
						continue
					}
					f := katatest.Failure{
						Want:  fmt.Sprintf("from input %s (%s), to a consumer busy for 25ms after each event: %q", in.name, sc.name, want),
						Got:   fmt.Sprintf("%s (all events: %q)", d, got),
						Means: "Merge must forward every event of each input once, in the order it was sent",
						Hint:  3,
					}
					switch {
					case hasEmpty(got):
						f.Means = "zero value: Merge forwarded \"\" from a closed input"
					case len(perInput(got, in.name)) < len(want) && ty.taken(in.name) == len(want):
						f.Means = "events were dropped while the consumer was busy: Merge took every event from " +
							in.name + " but did not hand them all over. A send in a select with a default case " +
							"gives up when nobody is waiting at that instant; Merge must hold the event and wait " +
							"for the consumer or for done (backpressure)"
					case len(got) == 0 && end == gotClosed:
						f.Means = "Merge closed its output before it had forwarded anything: forward from a " +
							"goroutine of its own until both inputs are closed"
						f.Hint = 4
					case end == gotClosed:
						f.Means = "Merge closed its output while " + in.name + " still had events to send: it " +
							"stopped at the first closed input. Keep forwarding the other until both are closed"
					}
					t.Error(f)
					return
				}
				if end == gotNone {
					failAs(t, evidence.Deadlock, katatest.Failure{
						Want:  fmt.Sprintf("Merge closes its channel after both inputs are closed (%s)", sc.name),
						Got:   fmt.Sprintf("%q, then nothing for a minute: the channel stayed open", got),
						Means: "the channel was never closed, so range never ends",
						Hint:  4,
					})
				}
			})
		})
	}
}

// Task 3: Merge holds at most one event its consumer has not taken.
//
// Both inputs have three events ready at once; the consumer takes one every
// 50ms. After each receive, Merge may have taken from the inputs only one
// event more than the consumer has: a buffered output, or a queue inside
// Merge, takes more, and lets the inputs' senders run ahead of the consumer.
func TestMerge_HoldsAtMostOneEvent(t *testing.T) {
	katatest.Bubble(t, 3, func(t *testing.T) {
		m := newMergeRun(t)
		a, b := newBurst(m.done, "a", 3), newBurst(m.done, "b", 3)
		if !m.start(t, a.ch, b.ch) {
			return
		}
		var got []string
		for len(got) <= 6 { // six events, then the close; a seventh is one too many
			katatest.Advance(50 * ms)
			if taken := a.count() + b.count(); taken > len(got)+1 {
				took := fmt.Sprintf("after the consumer had taken %s, Merge had taken %d from the inputs",
					katatest.Count(len(got), "event"), taken)
				if _, arr := poll(m.out); arr != gotValue {
					t.Error(katatest.Failure{
						Want: "every event Merge takes from an input waits for the consumer",
						Got:  took + ", and had none ready for the consumer",
						Means: "events were dropped while the consumer was busy: a send in a select with a " +
							"default case gives up when nobody is waiting at that instant",
						Hint: 3,
					})
					return
				}
				where := "Merge"
				if cap(m.out) > 0 {
					where = fmt.Sprintf("Merge (its channel has cap %d)", cap(m.out))
				}
				t.Error(katatest.Failure{
					Want: "Merge takes the next event from an input only when the consumer has taken the one it holds",
					Got:  strings.Replace(took, "Merge", where, 1),
					Means: "Merge ran ahead of its consumer: a buffered output, a queue inside Merge, or one " +
						"goroutine per input (each holding an event) takes events nobody has asked for yet. " +
						"Merge's channel is unbuffered, and Merge holds one event at a time",
					Hint: 3,
				})
				return
			}
			v, arr := receive(m.out)
			if arr != gotValue {
				break
			}
			got = append(got, v)
		}
		if len(got) != 6 || hasEmpty(got) {
			means, hint := "Merge must forward every event once", 3
			switch {
			case hasEmpty(got):
				means = "zero value: Merge forwarded \"\" from a closed input"
			case len(got) == 0:
				means, hint = "Merge closed its output before it had forwarded anything: forward from a "+
					"goroutine of its own until both inputs are closed", 4
			}
			t.Error(katatest.Failure{
				Want:  "the six events of both inputs, then the channel closed",
				Got:   fmt.Sprintf("%q", got),
				Means: means,
				Hint:  hint,
			})
		}
	})
}
