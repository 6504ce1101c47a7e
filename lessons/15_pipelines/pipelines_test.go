package pipelines

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
	"github.com/gokatas/concurrency/tools/evidence"
)

func TestMain(m *testing.M) { katatest.Main(m) }

// This file holds what every test of the lesson shares: a fake Func that
// counts the calls running at once, a fake upstream that counts the values
// taken from it, a consumer that can be slow or away, and the group the
// stages run in.

// patience is how long, in fake time, the tests' contexts last, and how
// long a test waits for a value or a close before it says none came.
const patience = time.Hour

// hangUp is how long a call of the fake Func takes to return once its
// context is cancelled while it runs.
const hangUp = 10 * time.Millisecond

var errBoom = errors.New("supplier: 502 bad gateway")

// square is what the fake Func returns for item i.
func square(i int) int { return i * i }

// squares returns the results of items first to first+n-1, in order.
func squares(first, n int) []int {
	out := make([]int, n)
	for k := range out {
		out[k] = square(first + k)
	}
	return out
}

// A fakeWork is the Func the stages call: call(ctx, i) returns square(i)
// after latency(i), or when the test opens gate i, or fails with fail[i]
// then. Cancelled while it runs, it returns ctx.Err() after hangUp; called
// with a context already done, it returns ctx.Err() at once and does not
// count as a call.
type fakeWork struct {
	start   time.Time
	latency func(i int) time.Duration
	gates   map[int]chan struct{}
	fail    map[int]error

	mu          sync.Mutex
	load        int // calls running now
	maxLoad     int
	started     []int // the calls that started, in order
	running     map[int]bool
	cancelledAt map[int]time.Duration // when a call saw its context done
	opened      map[int]bool
}

func newWork(t *testing.T) *fakeWork {
	w := &fakeWork{
		start:       time.Now(),
		latency:     func(int) time.Duration { return 0 },
		gates:       map[int]chan struct{}{},
		fail:        map[int]error{},
		running:     map[int]bool{},
		cancelledAt: map[int]time.Duration{},
		opened:      map[int]bool{},
	}
	t.Cleanup(w.openAll)
	return w
}

// every sets the same latency for every call.
func (w *fakeWork) every(d time.Duration) *fakeWork {
	w.latency = func(int) time.Duration { return d }
	return w
}

// gate makes the calls for items is wait until the test opens them.
func (w *fakeWork) gate(is ...int) *fakeWork {
	for _, i := range is {
		w.gates[i] = make(chan struct{})
	}
	return w
}

// open lets the call for item i return, then waits until the pipeline has
// done what that lets it do.
func (w *fakeWork) open(i int) {
	w.mu.Lock()
	if !w.opened[i] {
		w.opened[i] = true
		close(w.gates[i])
	}
	w.mu.Unlock()
	synctest.Wait()
}

func (w *fakeWork) openAll() {
	w.mu.Lock()
	defer w.mu.Unlock()
	for i, g := range w.gates {
		if !w.opened[i] {
			w.opened[i] = true
			close(g)
		}
	}
}

func (w *fakeWork) call(ctx context.Context, i int) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	w.mu.Lock()
	w.started = append(w.started, i)
	w.running[i] = true
	w.load++
	w.maxLoad = max(w.maxLoad, w.load)
	gate := w.gates[i]
	w.mu.Unlock()
	defer func() {
		w.mu.Lock()
		delete(w.running, i)
		w.load--
		w.mu.Unlock()
	}()
	ready, began, d := gate, time.Now(), time.Duration(0)
	if ready == nil {
		if d = w.latency(i); d > 0 {
			wake := make(chan struct{})
			timer := time.AfterFunc(d, func() { close(wake) })
			defer timer.Stop()
			ready = wake
		}
	}
	if ready != nil {
		select {
		case <-ready:
		case <-ctx.Done():
			if w.finished(ready, gate, began, d) {
				break // done at the instant of the cancel: the call had finished
			}
			w.mu.Lock()
			w.cancelledAt[i] = time.Since(w.start)
			w.mu.Unlock()
			time.Sleep(hangUp)
			return 0, ctx.Err()
		}
	}
	if err := w.fail[i]; err != nil {
		return 0, fmt.Errorf("item %d: %w", i, err)
	}
	return square(i), nil
}

// finished reports whether a call whose context is done had finished
// anyway: its gate is open, or its latency has passed by the fake clock.
// Timers that fire at one instant wake their goroutines in any order, and
// a call that is due at the instant of the cancel counts as done, so that
// the durations the tests assert do not depend on that order.
func (w *fakeWork) finished(ready, gate <-chan struct{}, began time.Time, d time.Duration) bool {
	if gate != nil {
		select {
		case <-gate:
			return true
		default:
			return false
		}
	}
	return time.Since(began) >= d
}

// A workSnap is what the fake Func saw up to now.
type workSnap struct {
	load, maxLoad int
	started       []int
	running       []int
	cancelledAt   map[int]time.Duration
}

func (w *fakeWork) snap() workSnap {
	w.mu.Lock()
	defer w.mu.Unlock()
	s := workSnap{load: w.load, maxLoad: w.maxLoad, started: slices.Clone(w.started), cancelledAt: map[int]time.Duration{}}
	for i := range w.running {
		s.running = append(s.running, i)
	}
	slices.Sort(s.running)
	for i, at := range w.cancelledAt {
		s.cancelledAt[i] = at
	}
	return s
}

// A feeder is the stage before the one under test: it sends items 0 to n-1
// on an unbuffered channel and counts each value the stage took. When the
// group's context is done it stops sending and closes the channel after
// lag, like an upstream stage busy in a slow call that notices the cancel
// late. After the last item it closes the channel at once, unless it is
// kept open (a stream with nothing more to say yet).
type feeder struct {
	ch    chan int
	start time.Time

	mu        sync.Mutex
	taken     int
	stoppedAt time.Duration // when it saw the context done; -1 if it did not
}

func feed(t *testing.T, p *pipe, n int, lag time.Duration, keepOpen bool) *feeder {
	ctx := p.ctx
	f := &feeder{ch: make(chan int), start: time.Now(), stoppedAt: -1}
	done := make(chan struct{})
	t.Cleanup(func() {
		p.cancel()
		<-done // a feeder that lags lets its last sleep pass in fake time
	})
	go func() {
		defer close(done)
		stop := func() {
			f.mu.Lock()
			f.stoppedAt = time.Since(f.start)
			f.mu.Unlock()
			time.Sleep(lag)
			close(f.ch)
		}
		for i := range n {
			select {
			case f.ch <- i:
				f.mu.Lock()
				f.taken++
				f.mu.Unlock()
			case <-ctx.Done():
				stop()
				return
			}
		}
		if keepOpen {
			<-ctx.Done()
			stop()
			return
		}
		close(f.ch)
	}()
	return f
}

func (f *feeder) counts() (taken int, stoppedAt time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.taken, f.stoppedAt
}

// A pipe is the errgroup the stages under test run in, with the caller's
// cancel.
type pipe struct {
	g      *errgroup.Group
	ctx    context.Context // the group's context: give it to the stages
	cancel context.CancelFunc
	start  time.Time
}

func newPipe(t *testing.T) *pipe {
	parent, cancel := context.WithTimeout(t.Context(), patience)
	t.Cleanup(cancel) // whatever happened, let every stage end
	g, ctx := errgroup.WithContext(parent)
	return &pipe{g: g, ctx: ctx, cancel: cancel, start: time.Now()}
}

// An outcome is what g.Wait (or Find) returned, and when.
type outcome struct {
	err  error
	took time.Duration
}

// waitInBackground calls g.Wait in a goroutine of its own.
func (p *pipe) waitInBackground() <-chan outcome {
	return inBackground(p.start, p.g.Wait)
}

func inBackground(start time.Time, f func() error) <-chan outcome {
	out := make(chan outcome, 1)
	go func() {
		err := f()
		out <- outcome{err: err, took: time.Since(start)}
	}()
	return out
}

// await waits for the outcome, longer than any context of the tests lasts.
func await(t *testing.T, what string, out <-chan outcome, hint int) outcome {
	t.Helper()
	select {
	case o := <-out:
		return o
	case <-time.After(2 * patience):
		t.Fatal(evidence.Errorf(evidence.Deadlock, t.Name(), "%s", strings.TrimPrefix(katatest.Failure{
			Want:  what + " returns",
			Got:   fmt.Sprintf("it had not returned %v (of fake time) later, although every context ended after %v", 2*patience, patience),
			Means: "a stage is blocked for ever: it waits on a channel without also waiting for ctx.Done()",
			Hint:  hint,
		}.String(), "\n")))
	}
	return outcome{}
}

// returned reports whether the outcome is there, without waiting.
func returned(out <-chan outcome) (outcome, bool) {
	select {
	case o := <-out:
		return o, true
	default:
		return outcome{}, false
	}
}

// An arrival is what a receive from a stage's channel found.
type arrival int

const (
	gotValue  arrival = iota
	gotClosed         // the channel is closed
	gotNone           // nothing came for patience: not closed either
)

// receive takes one value from ch, waiting at most patience of fake time.
func receive(ch <-chan int) (int, arrival) {
	select {
	case v, ok := <-ch:
		if !ok {
			return 0, gotClosed
		}
		return v, gotValue
	case <-time.After(patience):
		return 0, gotNone
	}
}

// receiveNow takes a value from ch if one is ready now, or sees it closed.
func receiveNow(ch <-chan int) (int, arrival) {
	select {
	case v, ok := <-ch:
		if !ok {
			return 0, gotClosed
		}
		return v, gotValue
	default:
		return 0, gotNone
	}
}

// collect receives from ch until it is closed, as a range loop would, or
// until nothing came for patience, pausing after each value (a slow
// consumer) if pause > 0.
func collect(ch <-chan int, pause time.Duration) ([]int, arrival) {
	var got []int
	for {
		v, a := receive(ch)
		if a != gotValue {
			return got, a
		}
		got = append(got, v)
		if pause > 0 {
			time.Sleep(pause)
		}
	}
}

// drainLater makes the test's end free any stage still blocked sending on
// one of chs, so that a test that already failed ends with its own message
// rather than with a stage blocked for ever. Each drain receives until its
// channel is closed or a minute of fake time passes without a value.
func drainLater(t *testing.T, chs ...<-chan int) {
	t.Cleanup(func() {
		for _, ch := range chs {
			func() {
				for {
					select {
					case _, ok := <-ch:
						if !ok {
							return
						}
					case <-time.After(time.Minute):
						return
					}
				}
			}()
		}
	})
}

// neverClosed explains a channel that a stage did not close.
func neverClosed(stage string, got []int, hint int) katatest.Failure {
	return katatest.Failure{
		Want:  stage + "'s channel closed after its last value",
		Got:   fmt.Sprintf("%s, then nothing for %v, and the channel still open", katatest.Count(len(got), "value"), patience),
		Means: "output channel never closed: the consumer's range loop waits for ever. The stage must close its channel when it returns, on every path (defer close(out))",
		Hint:  hint,
	}
}

// firstDifference describes where got differs from want, or returns "".
// Long slices are not printed whole.
func firstDifference(want, got []int) string {
	for i := range want {
		if i >= len(got) {
			return fmt.Sprintf("only %s; the result of item %d and those after it are missing", katatest.Count(len(got), "value"), i)
		}
		if got[i] != want[i] {
			return fmt.Sprintf("value %d is %d, want %d (%s)", i, got[i], want[i], short(got))
		}
	}
	if len(got) > len(want) {
		return fmt.Sprintf("%d values more than the %d items: first extra %d", len(got)-len(want), len(want), got[len(want)])
	}
	return ""
}

func short(vs []int) string {
	if len(vs) <= 12 {
		return fmt.Sprint(vs)
	}
	return fmt.Sprintf("%v ... (%d values)", vs[:12], len(vs))
}

// sameSet describes how got differs from want as a multiset, or returns "".
func sameSet(want, got []int) string {
	w, g := slices.Clone(want), slices.Clone(got)
	slices.Sort(w)
	slices.Sort(g)
	return firstDifference(w, g)
}

// goroutines returns how many goroutines exist now.
func goroutines() int { return runtime.NumGoroutine() }

// mustPanic calls f and reports whether it panicked.
func mustPanic(f func()) (panicked bool) {
	defer func() { panicked = recover() != nil }()
	f()
	return false
}
