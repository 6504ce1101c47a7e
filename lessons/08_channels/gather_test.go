package channels

import (
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
	"github.com/gokatas/concurrency/tools/evidence"
)

// A feed makes the test's fake sources and watches what happens to them:
// a send that panicked because the shared channel was closed under it, a
// source that is blocked in a send.
type feed struct {
	abort chan struct{} // closed when the test ends, to free sources stuck in a send

	mu      sync.Mutex // protects the fields below
	sending int        // sources blocked in a send right now
	running int        // sources that have started and not returned
	started int        // sources that have started, returned or not
	panics  []string   // sends that panicked: "A-3: send on closed channel"
}

func newFeed(t *testing.T) *feed {
	f := &feed{abort: make(chan struct{})}
	t.Cleanup(func() { close(f.abort) })
	return f
}

// source returns a Source that sends name-1, name-2, ..., each after the
// next of delays in fake time, and then returns.
func (f *feed) source(name string, delays ...time.Duration) Source {
	return func(out chan<- string) {
		f.add(&f.running, 1)
		defer f.add(&f.running, -1)
		for i, d := range delays {
			time.Sleep(d)
			if !f.send(out, fmt.Sprintf("%s-%d", name, i+1)) {
				return
			}
		}
	}
}

// quiet returns a Source that sends nothing and returns after d.
func (f *feed) quiet(d time.Duration) Source {
	return func(chan<- string) {
		f.add(&f.running, 1)
		defer f.add(&f.running, -1)
		time.Sleep(d)
	}
}

// oneSends returns n Sources of which exactly one sends: the one that
// starts second, whichever that is, sends S-1 after 10ms; every other one
// returns at once, sending nothing. Which source Gather's goroutines run
// first does not matter.
func (f *feed) oneSends(n int) []Source {
	src := func(out chan<- string) {
		f.mu.Lock()
		f.running++
		f.started++
		second := f.started == min(2, n)
		f.mu.Unlock()
		defer f.add(&f.running, -1)
		if second {
			time.Sleep(10 * ms)
			f.send(out, "S-1")
		}
	}
	sources := make([]Source, n)
	for i := range sources {
		sources[i] = src
	}
	return sources
}

// send sends e on out, as a source must: it never closes out. A send on a
// closed channel panics; send recovers, notes it, and reports false.
func (f *feed) send(out chan<- string, e string) (sent bool) {
	f.add(&f.sending, 1)
	defer func() {
		f.add(&f.sending, -1)
		if r := recover(); r != nil {
			f.mu.Lock()
			f.panics = append(f.panics, fmt.Sprintf("%s: %v", e, r))
			f.mu.Unlock()
			sent = false
		}
	}()
	select {
	case out <- e:
		return true
	case <-f.abort:
		return false
	}
}

func (f *feed) add(n *int, d int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	*n += d
}

func (f *feed) startedCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.started
}

func (f *feed) state() (sending, running int, panics []string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.sending, f.running, append([]string(nil), f.panics...)
}

// gather calls Gather, lets every source finish, and fails the test for a
// send on a closed channel or a Gather that does not return. It reports
// what Gather returned, how long it took in fake time, and whether the test
// can go on checking.
func gather(t *testing.T, f *feed, sources ...Source) ([]string, time.Duration, bool) {
	t.Helper()
	start := time.Now()
	got, returned := call(func() []string { return Gather(sources...) })
	took := time.Since(start)
	katatest.Advance(time.Second) // every source has finished its schedule by now
	sending, running, panics := f.state()
	if len(panics) > 0 {
		t.Error(katatest.Failure{
			Want: "the channel is closed once, after the last source has returned",
			Got:  fmt.Sprintf("a source's send panicked: %q", panics),
			Means: "send on closed channel: the channel was closed while a source was still sending. The " +
				"receiver never closes (Gather's loop cannot know whether more will come), and no single " +
				"source can close it either, because the others may still send",
			Hint: 5,
		})
		return got, took, false
	}
	if returned {
		return got, took, true
	}
	if sending > 0 {
		failAs(t, evidence.Deadlock, katatest.Failure{
			Want: "Gather receives while the sources send, and returns after the last source returns",
			Got:  fmt.Sprintf("Gather had not returned after a minute, and %d source(s) were blocked sending", sending),
			Means: "the sources are blocked sending and nobody receives: Gather waits for them before it " +
				"receives, or runs them in its own goroutine. A send on an unbuffered channel (or into a full " +
				"buffer) waits for a receiver; with none, all goroutines are asleep",
			Hint: 5,
		})
	} else {
		failAs(t, evidence.Deadlock, katatest.Failure{
			Want: "Gather returns once the last source has returned and the channel is closed",
			Got:  stillRunning(running),
			Means: "the channel was never closed, so range never ends: once every source has returned, " +
				"someone must close it. A goroutine of its own can wait for the sources and then close it",
			Hint: 5,
		})
	}
	return nil, took, false
}

func stillRunning(running int) string {
	if running == 0 {
		return "every source had returned and nobody was sending, but after a minute Gather had not returned"
	}
	return fmt.Sprintf("after a minute Gather had not returned; %d source(s) had not returned, and none was sending", running)
}

// Task 5: every event from every source, as it arrives.
func TestGather_CollectsEverySource(t *testing.T) {
	katatest.Bubble(t, 5, func(t *testing.T) {
		f := newFeed(t)
		sources := []Source{
			f.source("A", 10*ms, 30*ms, 20*ms), // A-1 at 10ms, A-2 at 40ms, A-3 at 60ms
			f.source("B", 20*ms),               // B-1 at 20ms
			f.quiet(0),                         // sends nothing, returns at once
			f.source("D", 50*ms),               // D-1 at 50ms
		}
		got, took, ok := gather(t, f, sources...)
		if !ok {
			return
		}
		want := []string{"A-1", "B-1", "A-2", "D-1", "A-3"}
		if d := firstDifference(want, got); d != "" {
			means := "Gather must return every event every source sent, in the order they arrived"
			if took == 130*ms {
				means = "the sources ran one after another (60ms + 20ms + 0ms + 50ms = 130ms): start each in a goroutine of its own"
			}
			t.Error(katatest.Failure{Want: fmt.Sprintf("%q", want), Got: d, Means: means, Hint: 5})
			return
		}
		if took != 60*ms {
			t.Error(katatest.Failure{
				Want:  "Gather returns at 60ms, when the last source returns",
				Got:   took.String(),
				Means: "the sources did not all run at the same time, or Gather did not return when they were done",
				Hint:  5,
			})
		}
	})
}

// Task 5: the channel stays open until the last source has returned, even
// one that sends nothing.
func TestGather_ClosesAfterTheLastSource(t *testing.T) {
	katatest.Bubble(t, 5, func(t *testing.T) {
		f := newFeed(t)
		sources := []Source{
			f.source("A", 10*ms, 10*ms), // A-1 at 10ms, A-2 at 20ms
			f.quiet(100 * ms),           // sends nothing, returns at 100ms
		}
		got, took, ok := gather(t, f, sources...)
		if !ok {
			return
		}
		want := []string{"A-1", "A-2"}
		if d := firstDifference(want, got); d != "" {
			t.Error(katatest.Failure{
				Want:  fmt.Sprintf("%q", want),
				Got:   d,
				Means: "Gather must return every event every source sent, in the order they arrived",
				Hint:  5,
			})
			return
		}
		if took == 120*ms {
			t.Error(katatest.Failure{
				Want:  "Gather returns at 100ms, when the last source returns",
				Got:   "Gather returned at 120ms, the sum of 20ms + 100ms",
				Means: "the sources ran one after another: start each in a goroutine of its own",
				Hint:  5,
			})
			return
		}
		if took != 100*ms {
			t.Error(katatest.Failure{
				Want: "Gather returns at 100ms, when the last source returns",
				Got:  fmt.Sprintf("Gather returned at %v", took),
				Means: "the channel was closed before every source was done: by a source that finished first, " +
					"or by the receiving loop after it counted some events. Only a goroutine that knows every " +
					"sender has returned may close it",
				Hint: 5,
			})
		}
	})
}

// Task 5: no sources, no events, and Gather still returns.
func TestGather_NoSources(t *testing.T) {
	katatest.Bubble(t, 5, func(t *testing.T) {
		f := newFeed(t)
		got, _, ok := gather(t, f)
		if ok && len(got) != 0 {
			t.Error(katatest.Failure{
				Want:  "no events",
				Got:   fmt.Sprintf("%q", got),
				Means: "Gather returned events no source sent",
				Hint:  5,
			})
		}
	})
}

// Task 5: many sources that start together, and thousands of events.
//
// Fifty sources send a hundred events each, as fast as Gather receives
// them: far more than any buffer a learner would guess, so a Gather that
// waits for the sources before it receives is stuck however big its buffer,
// and one that drops events when it is busy loses some.
func TestGather_ManyEvents(t *testing.T) {
	katatest.Bubble(t, 5, func(t *testing.T) {
		f := newFeed(t)
		const n, each = 50, 100
		var sources []Source
		for i := range n {
			sources = append(sources, f.source(fmt.Sprintf("S%d", i+1), make([]time.Duration, each)...))
		}
		got, _, ok := gather(t, f, sources...)
		if !ok {
			return
		}
		if len(got) != n*each {
			t.Error(katatest.Failure{
				Want: fmt.Sprintf("%d events: %d sources send %d each, as fast as Gather receives", n*each, n, each),
				Got:  katatest.Count(len(got), "event"),
				Means: "events were lost or invented: every event a source sends must be received once. A " +
					"forward that gives up when nobody is waiting (a select with a default case) drops events",
				Hint: 5,
			})
			return
		}
		next := map[string]int{}
		for _, e := range got {
			name, num, _ := strings.Cut(e, "-")
			next[name]++
			if want := fmt.Sprint(next[name]); num != want {
				t.Error(katatest.Failure{
					Want:  fmt.Sprintf("the events of %s in the order it sent them", name),
					Got:   fmt.Sprintf("%q where %s-%s was due", e, name, want),
					Means: "Gather must return the events in the order it received them",
					Hint:  5,
				})
				return
			}
		}
	})
}

// Task 5: many sources, of which only the one that starts second sends.
//
// A Gather that counts running sources inside each source's goroutine and
// lets "the last one out" close sees the count reach zero as soon as the
// first source to run has returned, if the others' goroutines have not
// started yet. The test runs on one P (GOMAXPROCS 1), so Gather's
// goroutines run one at a time, and each of these sources but one returns
// without blocking: whichever runs first is done before any other has
// started, and the one that starts second is the only one that sends. The
// order in which the runtime picks them does not matter.
func TestGather_QuietSourcesAroundASlowOne(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	katatest.Bubble(t, 5, func(t *testing.T) {
		f := newFeed(t)
		got, took, ok := gather(t, f, f.oneSends(41)...)
		if !ok {
			return
		}
		if len(got) == 0 && took == 0 {
			if f.startedCount() == 0 {
				t.Error(katatest.Failure{
					Want:  "[\"S-1\"], and Gather returns at 10ms, when the source that sends returns",
					Got:   "no events, at once, and no source was run",
					Means: "Gather must run every source in a goroutine of its own and receive what they send",
					Hint:  5,
				})
				return
			}
		}
		if d := firstDifference([]string{"S-1"}, got); d != "" || took != 10*ms {
			t.Error(katatest.Failure{
				Want: "[\"S-1\"], and Gather returns at 10ms, when the source that sends returns",
				Got:  fmt.Sprintf("%q at %v", got, took),
				Means: "the channel was closed before every source was done. A count of running sources kept " +
					"by the sources' goroutines themselves (\"the last one out closes\") reaches zero whenever " +
					"the sources that have started so far are done, before the others have started: count " +
					"them all before starting any (sync.WaitGroup: Add before go, or wg.Go)",
				Hint: 5,
			})
		}
	})
}
