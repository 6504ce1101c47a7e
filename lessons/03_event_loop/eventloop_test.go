package eventloop

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
	"github.com/gokatas/concurrency/tools/evidence"
)

func TestMain(m *testing.M) { katatest.Main(m) }

// ---------------------------------------------------------------------------
// Helpers.

// goid returns the id of the calling goroutine, read from the first line of
// its stack trace ("goroutine 42 [running]:"). Go keeps goroutine ids out
// of its API on purpose, and programs must not depend on them; a test may,
// to tell which goroutine ran a callback.
func goid() uint64 {
	var buf [64]byte
	n := runtime.Stack(buf[:], false)
	fields := strings.Fields(string(buf[:n]))
	if len(fields) < 2 {
		panic("cannot read the goroutine id from " + string(buf[:n]))
	}
	id, err := strconv.ParseUint(fields[1], 10, 64)
	if err != nil {
		panic("cannot read the goroutine id: " + err.Error())
	}
	return id
}

// leftovers returns, trimmed to the lesson's files, the goroutines left in
// the caller's bubble: a loop goroutine, a sleeping timer, a stuck Post.
// After Stop has returned and the bubble has settled, there must be none.
func leftovers() string {
	dump := katatest.BubbleGoroutines()
	if dump == "" {
		return ""
	}
	dir, _ := os.Getwd()
	if trimmed := katatest.TrimStacks(dump, dir); trimmed != "" {
		dump = trimmed
	}
	return strings.TrimRight(dump, "\n")
}

// goroutinesCreated returns how many goroutines the program has started so
// far (the runtime counts them since Go 1.26, which go.mod requires). A
// timer made by time.AfterFunc starts a goroutine when it fires, so the
// count shows that a timer fired even if what it did left no trace.
func goroutinesCreated() uint64 {
	s := []metrics.Sample{{Name: "/sched/goroutines-created:goroutines"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// An entry is one callback run: its name, when it ran (fake time since the
// journal was made) and the goroutine that ran it.
type entry struct {
	name string
	at   time.Duration
	g    uint64
}

// A journal records the callbacks that ran, in the order they ran. It has a
// lock so that the test can read it while the loop runs; the state the loop
// owns without any lock is in TestLoop_OwnsItsState.
type journal struct {
	start time.Time

	mu      sync.Mutex // protects entries
	entries []entry
}

func newJournal() *journal { return &journal{start: time.Now()} }

func (j *journal) add(name string) {
	e := entry{name: name, at: time.Since(j.start), g: goid()}
	j.mu.Lock()
	defer j.mu.Unlock()
	j.entries = append(j.entries, e)
}

// cb returns a callback that records name.
func (j *journal) cb(name string) func() { return func() { j.add(name) } }

// list returns a copy of the entries so far.
func (j *journal) list() []entry {
	j.mu.Lock()
	defer j.mu.Unlock()
	return append([]entry(nil), j.entries...)
}

func (j *journal) names() []string {
	var names []string
	for _, e := range j.list() {
		names = append(names, e.name)
	}
	return names
}

// checkNames reports the first place where the journal differs from want.
func checkNames(t *testing.T, j *journal, want []string, means string, hint int) bool {
	t.Helper()
	got := j.names()
	for i := range max(len(want), len(got)) {
		switch {
		case i >= len(got):
			t.Error(katatest.Failure{
				Want:  fmt.Sprintf("%d callbacks ran: %s", len(want), short(want)),
				Got:   fmt.Sprintf("only %d ran: %s; %q never ran", len(got), short(got), want[i]),
				Means: means,
				Hint:  hint,
			})
			return false
		case i >= len(want):
			t.Error(katatest.Failure{
				Want:  fmt.Sprintf("%d callbacks ran: %s", len(want), short(want)),
				Got:   fmt.Sprintf("%d ran: %s", len(got), short(got)),
				Means: means,
				Hint:  hint,
			})
			return false
		case got[i] != want[i]:
			t.Error(katatest.Failure{
				Want:  fmt.Sprintf("callback %d to run is %q (in order: %s)", i+1, want[i], short(want)),
				Got:   fmt.Sprintf("%q (in order: %s)", got[i], short(got)),
				Means: means,
				Hint:  hint,
			})
			return false
		}
	}
	return true
}

// short shows a list of names, cut after the first few.
func short(names []string) string {
	if len(names) > 8 {
		return strings.Join(names[:8], ", ") + fmt.Sprintf(", ... (%d more)", len(names)-8)
	}
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

// checkOnLoop reports the first callback in the journal that did not run on
// the loop goroutine.
func checkOnLoop(t *testing.T, j *journal, loop uint64, what string, hint int) bool {
	t.Helper()
	for _, e := range j.list() {
		if e.g != loop {
			t.Error(katatest.Failure{
				Want: fmt.Sprintf("every callback runs on the loop goroutine (goroutine %d)", loop),
				Got:  fmt.Sprintf("%s %q ran on goroutine %d", what, e.name, e.g),
				Means: "a callback ran off the loop goroutine, at the same time as the loop's own callbacks: " +
					"the state the loop owns is no longer safe without locks",
				Hint: hint,
			})
			return false
		}
	}
	return true
}

// loopGoroutine posts a callback and returns the id of the goroutine that
// ran it: the loop goroutine. It fails the test if that callback does not
// run, or runs on the goroutine that posted it. Call it in a bubble.
func loopGoroutine(t *testing.T, l *Loop) uint64 {
	t.Helper()
	var id uint64
	ran := false
	if err := l.Post(func() { id, ran = goid(), true }); err != nil {
		t.Fatal(katatest.Failure{
			Want:  "Post on a new loop returns nil",
			Got:   fmt.Sprintf("error %v", err),
			Means: "a running loop must accept callbacks",
			Hint:  1,
		})
	}
	synctest.Wait()
	if !ran {
		t.Fatal(katatest.Failure{
			Want:  "a posted callback runs on the loop goroutine as soon as the loop is free",
			Got:   "the callback never ran",
			Means: "nothing runs posted callbacks: New must start the loop goroutine, and Post must queue f for it",
			Hint:  1,
		})
	}
	if id == goid() {
		t.Fatal(katatest.Failure{
			Want:  "a posted callback runs on the loop goroutine",
			Got:   "it ran on the goroutine that called Post, before Post returned",
			Means: "Post called f itself instead of queueing it for the loop: callbacks would run on any goroutine",
			Hint:  1,
		})
	}
	return id
}

// post calls l.Post and fails the test if it returns an error.
func post(t *testing.T, l *Loop, f func()) {
	t.Helper()
	if err := l.Post(f); err != nil {
		t.Fatal(katatest.Failure{Want: "Post on a running loop returns nil", Got: err.Error(), Means: "a running loop must accept callbacks", Hint: 1})
	}
}

// outcome is what happened to a call made in another goroutine.
type outcome struct {
	err      error
	panicked any
}

// callAsync calls f in a new goroutine, recovering a panic, and returns a
// channel that receives the outcome once f has returned or panicked.
func callAsync(f func() error) <-chan outcome {
	c := make(chan outcome, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				c <- outcome{panicked: r}
			}
		}()
		err := f()
		c <- outcome{err: err}
	}()
	return c
}

// panicText describes a panic in o, if there was one.
func panicText(o outcome) string {
	if o.panicked == nil {
		return ""
	}
	return fmt.Sprintf(" (it panicked: %v)", o.panicked)
}

// ---------------------------------------------------------------------------
// Task 1: start the loop, run posted callbacks on it in order, stop it.

func TestPost_RunsCallbacksInOrder(t *testing.T) {
	katatest.Bubble(t, 1, func(t *testing.T) {
		l := New()
		defer l.Stop()
		loopGoroutine(t, l)

		j := newJournal()
		want := []string{"render header", "render body", "render footer", "flush", "log"}
		for _, name := range want {
			post(t, l, j.cb(name))
		}
		synctest.Wait()
		checkNames(t, j, want, "callbacks must run one at a time, in the order they were posted, like Node's callback queue", 1)
	})
}

func TestPost_RunsOnTheLoopGoroutine(t *testing.T) {
	katatest.Bubble(t, 1, func(t *testing.T) {
		l := New()
		defer l.Stop()
		loop := loopGoroutine(t, l)

		// Four goroutines post five callbacks each, at the same time.
		j := newJournal()
		const posters, each = 4, 5
		ids := make([]uint64, posters)
		errs := make([]error, posters)
		var wg sync.WaitGroup
		for p := range posters {
			wg.Go(func() {
				ids[p] = goid()
				for i := range each {
					if err := l.Post(j.cb(fmt.Sprintf("poster %d #%d", p, i))); err != nil {
						errs[p] = err
					}
				}
			})
		}
		wg.Wait()
		synctest.Wait()
		if err := errors.Join(errs...); err != nil {
			t.Fatal(katatest.Failure{Want: "Post returns nil", Got: err.Error(), Means: "a running loop must accept callbacks", Hint: 1})
		}

		if len(j.list()) != posters*each {
			t.Error(katatest.Failure{
				Want:  fmt.Sprintf("all %d callbacks posted by %d goroutines ran", posters*each, posters),
				Got:   fmt.Sprintf("%d ran", len(j.list())),
				Means: "callbacks posted at the same time from several goroutines were lost",
				Hint:  1,
			})
			return
		}
		for _, e := range j.list() {
			if e.g == loop {
				continue
			}
			for p, id := range ids {
				if e.g == id {
					t.Fatal(katatest.Failure{
						Want:  fmt.Sprintf("every callback runs on the loop goroutine (goroutine %d)", loop),
						Got:   fmt.Sprintf("%q ran on goroutine %d, the goroutine of poster %d that posted it", e.name, e.g, p),
						Means: "Post called f itself instead of queueing it: a callback ran off the loop goroutine",
						Hint:  1,
					})
				}
			}
			t.Fatal(katatest.Failure{
				Want:  fmt.Sprintf("every callback runs on the loop goroutine (goroutine %d)", loop),
				Got:   fmt.Sprintf("%q ran on goroutine %d", e.name, e.g),
				Means: "a callback ran off the loop goroutine (one goroutine per callback?): two callbacks can then run at once",
				Hint:  1,
			})
		}
		// Each poster's callbacks run in the order that poster posted them.
		next := make([]int, posters)
		for _, e := range j.list() {
			var p, i int
			fmt.Sscanf(e.name, "poster %d #%d", &p, &i)
			if i != next[p] {
				t.Error(katatest.Failure{
					Want:  fmt.Sprintf("poster %d's callbacks run in the order it posted them: #%d next", p, next[p]),
					Got:   fmt.Sprintf("#%d ran next", i),
					Means: "the loop does not run callbacks in the order they were queued",
					Hint:  1,
				})
				return
			}
			next[p]++
		}
	})
}

func TestStop_EndsTheLoopGoroutine(t *testing.T) {
	katatest.Bubble(t, 1, func(t *testing.T) {
		l := New()
		loop := loopGoroutine(t, l)
		l.Stop()
		synctest.Wait()
		if left := leftovers(); left != "" {
			// Bubble adds only its marker: this names the leak already.
			t.Fatal(evidence.Errorf(evidence.Leak, t.Name(), "%s", katatest.Failure{
				Want:  "the loop goroutine has returned when Stop returns",
				Got:   fmt.Sprintf("the loop goroutine was goroutine %d; goroutines still running:\n%s", loop, left),
				Means: "goroutine leak: Stop did not end the loop goroutine. Every Loop made and stopped leaves a goroutine behind",
				Hint:  1,
			}))
		}
	})
}

// ---------------------------------------------------------------------------
// Task 2: Post never waits for the loop.

func TestPost_DoesNotWaitForABusyLoop(t *testing.T) {
	katatest.Bubble(t, 2, func(t *testing.T) {
		l := New()
		defer l.Stop()
		loop := loopGoroutine(t, l)

		// The loop is busy with a long callback, say a slow render.
		j := newJournal()
		gate := make(chan struct{})
		post(t, l, func() { <-gate; j.add("busy") })
		synctest.Wait()

		// Meanwhile, another goroutine posts many callbacks.
		const n = 5000
		want := []string{"busy"}
		for i := range n {
			want = append(want, fmt.Sprint("request ", i))
		}
		posted := callAsync(func() error {
			for _, name := range want[1:] {
				if err := l.Post(j.cb(name)); err != nil {
					return err
				}
			}
			return nil
		})
		synctest.Wait()
		blocked := false
		select {
		case o := <-posted:
			if o.err != nil || o.panicked != nil {
				close(gate)
				t.Fatal(katatest.Failure{Want: "Post returns nil", Got: fmt.Sprint(o.err, o.panicked), Means: "a running loop must accept callbacks", Hint: 2})
			}
		default:
			blocked = true
			t.Error(katatest.Failure{
				Want: fmt.Sprintf("%d calls to Post return at once while the loop is busy", n),
				Got:  "Post blocked until the loop was free",
				Means: "Post blocked: it waits for the loop to take f (an unbuffered or full channel?). " +
					"A busy loop then stalls every goroutine that posts to it, and a callback that posts waits for itself",
				Hint: 2,
			})
		}
		close(gate)
		if blocked {
			<-posted
		}
		synctest.Wait()
		if checkNames(t, j, want, "callbacks posted while the loop was busy must all run afterwards, in order", 2) {
			checkOnLoop(t, j, loop, "callback", 1)
		}
	})
}

func TestPost_FromInsideACallback(t *testing.T) {
	katatest.Bubble(t, 2, func(t *testing.T) {
		l := New()
		loopGoroutine(t, l)

		j := newJournal()
		var innerErr error
		err := l.Post(func() {
			j.add("outer")
			innerErr = l.Post(j.cb("inner"))
			j.add("outer returns")
		})
		if err != nil {
			t.Fatal(katatest.Failure{Want: "Post returns nil", Got: err.Error(), Means: "a running loop must accept callbacks", Hint: 1})
		}
		synctest.Wait()
		names := j.names()
		if len(names) == 1 && names[0] == "outer" {
			// The loop goroutine is stuck inside Post, waiting for itself: a
			// deadlock, forced. Leave it; Bubble shows its stack.
			t.Fatal(evidence.Errorf(evidence.Deadlock, t.Name(), "%s", katatest.Failure{
				Want: "a callback calls Post, Post returns at once, and the new callback runs after the current one",
				Got:  "the callback's call to Post never returned",
				Means: "Post blocked: Post waited for the loop to take f, but the loop is the goroutine calling Post. " +
					"The loop waits for itself, forever: a deadlock",
				Hint: 2,
			}))
		}
		l.Stop()
		if innerErr != nil {
			t.Error(katatest.Failure{Want: "Post from a callback returns nil", Got: innerErr.Error(), Means: "a running loop must accept callbacks from its own callbacks", Hint: 2})
		}
		checkNames(t, j, []string{"outer", "outer returns", "inner"},
			"a callback runs to completion before the next one starts: Post from a callback queues f, it does not run it", 2)
	})
}

// ---------------------------------------------------------------------------
// Task 3: timers post back into the loop.

// after calls l.After and fails the test if it returns an error.
func after(t *testing.T, l *Loop, d time.Duration, f func()) {
	t.Helper()
	if err := l.After(d, f); err != nil {
		t.Fatal(katatest.Failure{Want: "After on a running loop returns nil", Got: err.Error(), Means: "a running loop must accept timers", Hint: 3})
	}
}

func TestAfter_FiresExactlyOnTime(t *testing.T) {
	katatest.Bubble(t, 3, func(t *testing.T) {
		l := New()
		defer l.Stop()
		loop := loopGoroutine(t, l)

		j := newJournal()
		after(t, l, 100*time.Millisecond, j.cb("session timeout"))
		katatest.Advance(100*time.Millisecond - time.Nanosecond)
		if len(j.list()) > 0 {
			t.Fatal(katatest.Failure{
				Want:  "After(100ms, f) has not run f 1ns before 100ms",
				Got:   fmt.Sprintf("f ran at %v", j.list()[0].at),
				Means: "the timer fired early",
				Hint:  3,
			})
		}
		katatest.Advance(time.Nanosecond)
		if len(j.list()) == 0 {
			t.Fatal(katatest.Failure{
				Want:  "After(100ms, f) has run f at 100ms",
				Got:   "f had not run",
				Means: "the timer never fired, or its callback never reached the loop",
				Hint:  3,
			})
		}
		if e := j.list()[0]; e.at != 100*time.Millisecond {
			t.Error(katatest.Failure{Want: "f runs at exactly 100ms", Got: e.at.String(), Means: "the timer fired at the wrong time", Hint: 3})
		}
		checkOnLoop(t, j, loop, "timer callback", 3)
	})
}

func TestAfter_RunsInDeadlineOrder(t *testing.T) {
	katatest.Bubble(t, 3, func(t *testing.T) {
		l := New()
		defer l.Stop()
		loopGoroutine(t, l)

		j := newJournal()
		after(t, l, 300*time.Millisecond, j.cb("retry"))
		after(t, l, 100*time.Millisecond, j.cb("heartbeat"))
		after(t, l, 200*time.Millisecond, j.cb("flush"))
		post(t, l, j.cb("handle request"))
		katatest.Advance(300 * time.Millisecond)

		want := []entry{
			{"handle request", 0, 0},
			{"heartbeat", 100 * time.Millisecond, 0},
			{"flush", 200 * time.Millisecond, 0},
			{"retry", 300 * time.Millisecond, 0},
		}
		wantNames := make([]string, len(want))
		for i, w := range want {
			wantNames[i] = w.name
		}
		if !checkNames(t, j, wantNames, "a posted callback runs at once; timers run in the order of their deadlines, not the order they were set", 3) {
			return
		}
		for i, w := range want {
			if got := j.list()[i].at; got != w.at {
				t.Error(katatest.Failure{
					Want:  fmt.Sprintf("%q runs at %v", w.name, w.at),
					Got:   fmt.Sprintf("it ran at %v", got),
					Means: "a callback ran at the wrong time",
					Hint:  3,
				})
				return
			}
		}
	})
}

func TestAfter_RunsOnTheLoopGoroutine(t *testing.T) {
	katatest.Bubble(t, 3, func(t *testing.T) {
		l := New()
		defer l.Stop()
		loop := loopGoroutine(t, l)

		j := newJournal()
		for i := range 5 {
			after(t, l, time.Duration(i+1)*10*time.Millisecond, j.cb(fmt.Sprint("timer ", i)))
		}
		katatest.Advance(50 * time.Millisecond)
		if len(j.list()) != 5 {
			t.Fatal(katatest.Failure{
				Want:  "5 timers, due at 10ms to 50ms, have all run at 50ms",
				Got:   fmt.Sprintf("%d ran", len(j.list())),
				Means: "timer callbacks never reached the loop",
				Hint:  3,
			})
		}
		checkOnLoop(t, j, loop, "timer callback", 3)
	})
}

func TestAfter_FromInsideACallback(t *testing.T) {
	katatest.Bubble(t, 3, func(t *testing.T) {
		l := New()
		defer l.Stop()
		loop := loopGoroutine(t, l)

		// A callback that sets the next timer itself, like a recursive
		// setTimeout: a tick every 50ms, three times.
		j := newJournal()
		var errs []error
		ticks := 0
		var tick func()
		tick = func() {
			ticks++
			j.add(fmt.Sprint("tick ", ticks))
			if ticks < 3 {
				errs = append(errs, l.After(50*time.Millisecond, tick))
			}
		}
		after(t, l, 50*time.Millisecond, tick)
		katatest.Advance(150 * time.Millisecond)

		if err := errors.Join(errs...); err != nil {
			t.Error(katatest.Failure{Want: "After from a callback returns nil", Got: err.Error(), Means: "a running loop must accept timers from its own callbacks", Hint: 3})
		}
		if !checkNames(t, j, []string{"tick 1", "tick 2", "tick 3"},
			"a callback that calls After must get its timer, like setTimeout inside a callback", 3) {
			return
		}
		for i, e := range j.list() {
			if want := time.Duration(i+1) * 50 * time.Millisecond; e.at != want {
				t.Error(katatest.Failure{Want: fmt.Sprintf("%q runs at %v", e.name, want), Got: e.at.String(), Means: "a timer set from a callback fired at the wrong time", Hint: 3})
				return
			}
		}
		checkOnLoop(t, j, loop, "timer callback", 3)
	})
}

func TestLoop_OwnsItsState(t *testing.T) {
	katatest.Bubble(t, 3, func(t *testing.T) {
		l := New()
		loop := loopGoroutine(t, l)

		// The loop owns a page-view counter and a log of who counted, with
		// no lock. Four goroutines post increments every millisecond while
		// timers, due at the same instants, increment too. (A map here
		// would be truer to life, but concurrent map writes crash the test
		// binary before it can explain anything.)
		views := 0
		var countedBy []uint64
		count := func() {
			views++
			countedBy = append(countedBy, goid())
		}
		const posters, each, timers = 4, 50, 50
		for i := range timers {
			after(t, l, time.Duration(i)*time.Millisecond, count)
		}
		var wg sync.WaitGroup
		for range posters {
			wg.Go(func() {
				for range each {
					l.Post(count)
					time.Sleep(time.Millisecond)
				}
			})
		}
		wg.Wait()
		katatest.Advance(time.Second)
		l.Stop()

		for _, g := range countedBy {
			if g != loop {
				t.Fatal(katatest.Failure{
					Want:  fmt.Sprintf("every callback runs on the loop goroutine (goroutine %d)", loop),
					Got:   fmt.Sprintf("a callback ran on goroutine %d", g),
					Means: "callbacks ran off the loop goroutine, at the same time as others: the counter and the log they share are raced",
					Hint:  3,
				})
			}
		}
		if want := posters*each + timers; views != want {
			t.Error(katatest.Failure{
				Want:  fmt.Sprintf("%d page views counted (%d posted, %d from timers)", want, posters*each, timers),
				Got:   fmt.Sprint(views),
				Means: "callbacks were lost, or two ran at once and one increment overwrote the other",
				Hint:  3,
			})
		}
	})
}

// ---------------------------------------------------------------------------
// Task 4: Stop cleanly.

func TestStop_FinishesQueuedCallbacksFirst(t *testing.T) {
	katatest.Bubble(t, 4, func(t *testing.T) {
		l := New()
		loop := loopGoroutine(t, l)

		// The loop is busy; many more callbacks wait in the queue. So many
		// that a loop which selects at random between "run the next callback"
		// and "Stop was called" drops one of them on every run: it keeps all
		// of them only with probability 2^-queued.
		const queued = 100
		j := newJournal()
		gate := make(chan struct{})
		post(t, l, func() { <-gate; j.add("busy") })
		synctest.Wait()
		want := []string{"busy"}
		for i := range queued {
			want = append(want, fmt.Sprintf("queued %d", i+1))
		}
		posted := callAsync(func() error {
			var errs []error
			for _, name := range want[1:] {
				errs = append(errs, l.Post(j.cb(name)))
			}
			return errors.Join(errs...)
		})
		synctest.Wait()
		select {
		case o := <-posted:
			if o.err != nil || o.panicked != nil {
				close(gate)
				t.Fatal(katatest.Failure{Want: "Post returns nil", Got: fmt.Sprint(o.err, o.panicked), Means: "a running loop must accept callbacks", Hint: 2})
			}
		default:
			close(gate)
			t.Fatal(katatest.Failure{Want: "Post returns at once while the loop is busy", Got: "Post blocked", Means: "Post blocked: do Task 2 first", Hint: 2})
		}

		stopped := make(chan struct{})
		go func() {
			l.Stop()
			close(stopped)
		}()
		synctest.Wait()
		select {
		case <-stopped:
			t.Error(katatest.Failure{
				Want:  "Stop waits while a callback is still running",
				Got:   fmt.Sprintf("Stop returned while a callback was still running and %d more were queued", queued),
				Means: "Stop returned while the loop goroutine was still working: Stop must wait until the loop goroutine has returned",
				Hint:  4,
			})
		default:
		}
		close(gate)
		select {
		case <-stopped:
		case <-time.After(time.Hour):
			t.Fatal(katatest.Failure{
				Want:  "Stop returns once the queued callbacks have run",
				Got:   "Stop never returned",
				Means: "the loop goroutine never returned after Stop, or Stop does not notice when it does",
				Hint:  4,
			})
		}
		synctest.Wait()
		if checkNames(t, j, want,
			"callbacks queued before Stop must run before Stop returns: Post returned nil for them, so they were accepted "+
				"(a loop that selects between the queue and a quit channel may pick quit while callbacks wait: "+
				"Stop dropped queued callbacks)", 4) {
			checkOnLoop(t, j, loop, "queued callback", 4)
		}
	})
}

func TestStop_CancelsPendingTimers(t *testing.T) {
	katatest.Bubble(t, 4, func(t *testing.T) {
		l := New()
		loopGoroutine(t, l)

		j := newJournal()
		after(t, l, 100*time.Millisecond, j.cb("cache refresh"))
		after(t, l, time.Hour, j.cb("nightly report"))
		katatest.Advance(50 * time.Millisecond)

		took := katatest.Elapsed(l.Stop)
		if took != 0 {
			t.Error(katatest.Failure{
				Want:  "Stop returns at once: no callback is running or queued",
				Got:   fmt.Sprintf("Stop took %v", took),
				Means: "Stop waited for pending timers instead of cancelling them",
				Hint:  4,
			})
		}
		synctest.Wait()
		if left := leftovers(); left != "" {
			t.Error(evidence.Errorf(evidence.Leak, t.Name(), "%s", katatest.Failure{
				Want:  "no goroutine of the loop is left when Stop returns, not even one waiting for a timer",
				Got:   "goroutines still running:\n" + left,
				Means: "goroutine leak: pending timers must be cancelled by Stop (Timer.Stop), not left to sleep",
				Hint:  4,
			}))
		}
		// A timer that Stop did not cancel still fires later, on a goroutine
		// of its own, even if its callback is then refused. Nothing else in
		// the program is due to start a goroutine while fake time jumps.
		runtime.GC() // start the GC workers now, not during the jump
		before := goroutinesCreated()
		katatest.Advance(2 * time.Hour)
		if after := goroutinesCreated(); after != before {
			t.Error(katatest.Failure{
				Want: "nothing of the loop is left scheduled after Stop: no timer fires later",
				Got:  fmt.Sprintf("%d goroutine(s) started as fake time passed the timers' deadlines, after Stop", after-before),
				Means: "pending timers must be cancelled by Stop (Timer.Stop): a timer left running fires anyway, " +
					"and keeps the loop and its callback in memory until it does, even if its Post is then refused",
				Hint: 4,
			})
		}
		if len(j.list()) > 0 {
			t.Error(katatest.Failure{
				Want:  "no callback runs after Stop: the pending timers are cancelled",
				Got:   fmt.Sprintf("%q ran at %v, after Stop", j.list()[0].name, j.list()[0].at),
				Means: "a timer callback ran after Stop: Stop must cancel pending timers (or drop their callbacks)",
				Hint:  4,
			})
		}
	})
}

// This test runs outside a bubble: a correct Stop may wait for a mutex
// (sync.Once does), which a bubble does not count as blocked.
func TestStop_TwiceAndConcurrently(t *testing.T) {
	katatest.Watchdog(t, 4)
	l := New()
	started := make(chan struct{})
	gate := make(chan struct{})
	if err := l.Post(func() { close(started); <-gate }); err != nil {
		t.Fatal(katatest.Failure{Want: "Post returns nil", Got: err.Error(), Means: "a running loop must accept callbacks", Hint: 1})
	}
	select {
	case <-started:
	case <-time.After(2 * time.Second): // real time; a correct loop needs microseconds
		close(gate)
		t.Error(katatest.Failure{
			Want:  "a posted callback runs on the loop",
			Got:   "it had not started after 2s of real time",
			Means: "nothing runs posted callbacks: do Task 1 first",
			Hint:  1,
		})
		return
	}

	first := callAsync(func() error { l.Stop(); return nil })
	second := callAsync(func() error { l.Stop(); return nil })
	select {
	case o := <-first:
		close(gate)
		<-second
		t.Error(katatest.Failure{
			Want:  "both of two concurrent Stops wait while a callback is still running",
			Got:   "one Stop returned while the callback was still running" + panicText(o),
			Means: "Stop returned while the loop was still running a callback: every call to Stop, the first and any later one, must wait until the loop goroutine has returned",
			Hint:  4,
		})
		return
	case o := <-second:
		close(gate)
		<-first
		t.Error(katatest.Failure{
			Want:  "both of two concurrent Stops wait while a callback is still running",
			Got:   "one Stop returned while the callback was still running" + panicText(o),
			Means: "Stop returned while the loop was still running a callback: every call to Stop, the first and any later one, must wait until the loop goroutine has returned",
			Hint:  4,
		})
		return
	case <-time.After(katatest.DefaultPatience): // real time; a wrong Stop returns in microseconds
	}
	close(gate)
	for _, o := range []outcome{<-first, <-second} {
		if o.panicked != nil {
			t.Error(katatest.Failure{
				Want:  "Stop may be called twice at once",
				Got:   fmt.Sprintf("one call panicked: %v", o.panicked),
				Means: "Stop is not idempotent (close of closed channel?): close a channel once, with a flag under a lock or sync.Once",
				Hint:  4,
			})
			return
		}
	}
	third := callAsync(func() error { l.Stop(); return nil })
	if o := <-third; o.panicked != nil {
		t.Error(katatest.Failure{
			Want:  "Stop on a stopped loop returns at once",
			Got:   fmt.Sprintf("it panicked: %v", o.panicked),
			Means: "Stop is not idempotent (close of closed channel?)",
			Hint:  4,
		})
	}
}

// ---------------------------------------------------------------------------
// Task 5: Post and After on a stopped loop, and Post racing Stop.

// checkRefused checks the outcome of a Post or After made after Stop.
func checkRefused(t *testing.T, call string, o outcome) {
	t.Helper()
	switch {
	case o.panicked != nil:
		t.Error(katatest.Failure{
			Want:  call + " after Stop returns ErrStopped",
			Got:   fmt.Sprintf("it panicked: %v", o.panicked),
			Means: call + " after Stop panicked (send on closed channel?): a stopped loop must refuse work with an error, not crash the caller",
			Hint:  5,
		})
	case o.err == nil:
		t.Error(katatest.Failure{
			Want:  call + " after Stop returns ErrStopped",
			Got:   "nil",
			Means: call + " after Stop returned nil: the caller thinks the callback was accepted, but it will never run. It is silently lost",
			Hint:  5,
		})
	case !errors.Is(o.err, ErrStopped):
		t.Error(katatest.Failure{
			Want:  call + " after Stop returns ErrStopped, so callers can test errors.Is(err, ErrStopped)",
			Got:   o.err.Error(),
			Means: "the wrong error",
			Hint:  5,
		})
	}
}

func TestPost_AfterStopReturnsErrStopped(t *testing.T) {
	katatest.Bubble(t, 5, func(t *testing.T) {
		l := New()
		loopGoroutine(t, l)
		l.Stop()

		j := newJournal()
		posted := callAsync(func() error { return l.Post(j.cb("late request")) })
		synctest.Wait()
		select {
		case o := <-posted:
			checkRefused(t, "Post", o)
		default:
			// The goroutine calling Post is stuck: Bubble reports the leak.
			t.Fatal(katatest.Failure{
				Want:  "Post after Stop returns ErrStopped at once",
				Got:   "Post never returned",
				Means: "Post blocked forever: it waits for a loop goroutine that has exited and will never take f",
				Hint:  5,
			})
		}
		katatest.Advance(time.Hour)
		if len(j.list()) > 0 {
			t.Error(katatest.Failure{Want: "a callback posted after Stop never runs", Got: fmt.Sprintf("%q ran", j.list()[0].name), Means: "the loop ran work after Stop returned", Hint: 5})
		}
	})
}

func TestAfter_AfterStopReturnsErrStopped(t *testing.T) {
	katatest.Bubble(t, 5, func(t *testing.T) {
		l := New()
		loopGoroutine(t, l)
		l.Stop()

		j := newJournal()
		set := callAsync(func() error { return l.After(10*time.Millisecond, j.cb("late timer")) })
		synctest.Wait()
		select {
		case o := <-set:
			checkRefused(t, "After", o)
		default:
			t.Fatal(katatest.Failure{
				Want:  "After after Stop returns ErrStopped at once",
				Got:   "After never returned",
				Means: "After blocked forever on a stopped loop",
				Hint:  5,
			})
		}
		katatest.Advance(time.Hour)
		if len(j.list()) > 0 {
			t.Error(katatest.Failure{Want: "a timer set after Stop never runs", Got: fmt.Sprintf("%q ran at %v", j.list()[0].name, j.list()[0].at), Means: "a timer callback ran after Stop", Hint: 5})
		}
	})
}

// This test runs outside a bubble: the solution's Post holds a mutex while
// it calls the hook, and Stop waits for that mutex, which a bubble does not
// count as blocked.
func TestPost_RacingStop(t *testing.T) {
	katatest.Watchdog(t, 5)
	l := New()

	// First, a callback posted with nothing racing must run: otherwise a
	// lost callback below would say nothing about Stop.
	probe := make(chan struct{})
	if err := l.Post(func() { close(probe) }); err != nil {
		t.Fatal(katatest.Failure{Want: "Post on a new loop returns nil", Got: err.Error(), Means: "a running loop must accept callbacks", Hint: 1})
	}
	select {
	case <-probe:
	case <-time.After(2 * time.Second): // real time; a correct loop needs microseconds
		t.Fatal(katatest.Failure{
			Want:  "a posted callback runs on the loop",
			Got:   "it had not run after 2s of real time",
			Means: "nothing runs posted callbacks yet: do Task 1 first",
			Hint:  1,
		})
	}

	// Post decides the loop is running, then the hook runs Stop to the end
	// (or until Stop has waited DefaultPatience of real time, for a Post
	// that holds a lock Stop needs), and only then does Post queue f. This
	// is the moment where "check a flag, then send" goes wrong.
	hookCalled := false
	stopped := make(chan struct{})
	l.testHookPost = func() {
		if hookCalled {
			return
		}
		hookCalled = true
		go func() {
			l.Stop()
			close(stopped)
		}()
		select {
		case <-stopped:
		case <-time.After(katatest.DefaultPatience): // real time
		}
	}

	ran := make(chan struct{})
	var o outcome
	select {
	case o = <-callAsync(func() error { return l.Post(func() { close(ran) }) }):
	case <-time.After(katatest.DefaultPatience + 2*time.Second): // real time; a correct Post needs microseconds after the hook
		t.Error(katatest.Failure{
			Want:  "Post racing Stop returns nil (and f runs) or ErrStopped (and f never runs)",
			Got:   "Post had not returned 2s after Stop did",
			Means: "Post blocked forever: Stop ran between Post's check and its send, and nobody receives any more",
			Hint:  5,
		})
		return
	}
	if !hookCalled && o.panicked == nil {
		l.Stop()
		t.Error(katatest.Failure{
			Want:  "Post calls l.testHookPost after it has found the loop running and before it queues f",
			Got:   fmt.Sprintf("Post returned %v without calling it", o.err),
			Means: "the test cannot force Stop into the middle of Post: keep the hook call in Post",
			Hint:  5,
		})
		return
	}
	<-stopped // the watchdog turns a Stop that never returns into a hang report

	switch {
	case o.panicked != nil:
		t.Error(katatest.Failure{
			Want: "Post racing Stop returns nil (and f runs) or ErrStopped (and f never runs)",
			Got:  fmt.Sprintf("Post panicked: %v", o.panicked),
			Means: "send on closed channel: Post checked that the loop was running, Stop closed the channel, then Post sent on it. " +
				"The check and the send must be one step (under one lock), or Stop must never close a channel that Post sends on",
			Hint: 5,
		})
	case o.err == nil:
		select {
		case <-ran:
		default:
			t.Error(katatest.Failure{
				Want:  "Post returned nil, so f has run by the time Stop returns",
				Got:   "f never ran",
				Means: "an accepted callback was lost when Stop ran at the same moment",
				Hint:  5,
			})
		}
	case errors.Is(o.err, ErrStopped):
		select {
		case <-ran:
			t.Error(katatest.Failure{Want: "Post returned ErrStopped, so f never runs", Got: "f ran", Means: "Post refused f and ran it anyway", Hint: 5})
		default:
		}
	default:
		t.Error(katatest.Failure{Want: "Post racing Stop returns nil or ErrStopped", Got: o.err.Error(), Means: "the wrong error", Hint: 5})
	}
}

// ---------------------------------------------------------------------------
// Task 3: a timer that has fired is forgotten.

// heldEntries returns the number of entries in the map and slice fields of
// v, a struct, by field name: what the timers keep. It reads the learner's
// own fields by reflection, whatever they are called.
func heldEntries(v reflect.Value) (total int, by []string) {
	for i := range v.NumField() {
		f := v.Field(i)
		switch f.Kind() {
		case reflect.Map, reflect.Slice:
			if f.Len() > 0 {
				total += f.Len()
				by = append(by, fmt.Sprintf("%s has %d", v.Type().Field(i).Name, f.Len()))
			}
		}
	}
	return total, by
}

func TestAfter_ForgetsFiredTimers(t *testing.T) {
	katatest.Bubble(t, 3, func(t *testing.T) {
		l := New()
		defer l.Stop()
		loopGoroutine(t, l)

		// A server that sets a timeout per request: thousands of timers,
		// each of which fires.
		const n = 2000
		ran := 0
		for i := range n {
			after(t, l, time.Duration(i%50)*time.Millisecond, func() { ran++ })
		}
		katatest.Advance(time.Second)
		if ran != n {
			t.Fatal(katatest.Failure{
				Want:  fmt.Sprintf("all %d timers have run after 1s", n),
				Got:   fmt.Sprint(ran),
				Means: "timer callbacks never reached the loop",
				Hint:  3,
			})
		}
		// The test reads the timers' fields only once the loop is idle and
		// every timer has fired: nothing writes them now.
		if total, by := heldEntries(reflect.ValueOf(&l.timers).Elem()); total > 0 {
			t.Error(katatest.Failure{
				Want: fmt.Sprintf("the loop keeps no timer once all %d have fired and posted their callbacks", n),
				Got:  fmt.Sprintf("%d entries still kept (%s)", total, strings.Join(by, ", ")),
				Means: "fired timers kept: a timer that has posted its callback must be removed from the pending set, " +
					"or every After leaks its timer and its callback until Stop, and a long-running loop grows without bound",
				Hint: 3,
			})
		}
	})
}

// ---------------------------------------------------------------------------
// Task 2: a wake-up is never lost.

// droppedWakeUps finds, in the Go files of dir that are not tests, every
// non-blocking send (a select with a send case and a default) on a channel
// field that the package makes without a buffer: such a send succeeds only if
// the receiver is already waiting, so a wake-up sent just before the loop
// reaches its receive is dropped, and the loop sleeps with work queued. It is
// a source check, as go vet's are: the moment between the loop's look at the
// queue and its receive runs no code that a test controls.
func droppedWakeUps(dir string) ([]string, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	fset := token.NewFileSet()
	var parsed []*ast.File
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			return nil, err
		}
		parsed = append(parsed, f)
	}
	// unbuffered: field name -> where it is made without a buffer.
	unbuffered := map[string]token.Pos{}
	isUnbufferedChan := func(e ast.Expr) bool {
		call, ok := ast.Unparen(e).(*ast.CallExpr)
		if !ok {
			return false
		}
		if id, ok := call.Fun.(*ast.Ident); !ok || id.Name != "make" || len(call.Args) == 0 {
			return false
		}
		if _, ok := call.Args[0].(*ast.ChanType); !ok {
			return false
		}
		if len(call.Args) == 1 {
			return true
		}
		lit, ok := call.Args[1].(*ast.BasicLit)
		return ok && lit.Value == "0"
	}
	for _, f := range parsed {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.KeyValueExpr: // &Loop{wake: make(chan struct{})}
				if key, ok := n.Key.(*ast.Ident); ok && isUnbufferedChan(n.Value) {
					unbuffered[key.Name] = n.Pos()
				}
			case *ast.AssignStmt: // l.wake = make(chan struct{})
				for i, lhs := range n.Lhs {
					if sel, ok := lhs.(*ast.SelectorExpr); ok && i < len(n.Rhs) && isUnbufferedChan(n.Rhs[i]) {
						unbuffered[sel.Sel.Name] = n.Pos()
					}
				}
			}
			return true
		})
	}
	var places []string
	for _, f := range parsed {
		ast.Inspect(f, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectStmt)
			if !ok {
				return true
			}
			hasDefault := false
			var sends []*ast.SendStmt
			for _, c := range sel.Body.List {
				cc := c.(*ast.CommClause)
				if cc.Comm == nil {
					hasDefault = true
				} else if send, ok := cc.Comm.(*ast.SendStmt); ok {
					sends = append(sends, send)
				}
			}
			if !hasDefault {
				return true
			}
			for _, send := range sends {
				if ch, ok := ast.Unparen(send.Chan).(*ast.SelectorExpr); ok {
					if made, ok := unbuffered[ch.Sel.Name]; ok {
						places = append(places, fmt.Sprintf("a non-blocking send on %s at line %d, made without a buffer at line %d",
							ch.Sel.Name, fset.Position(send.Pos()).Line, fset.Position(made).Line))
					}
				}
			}
			return true
		})
	}
	return places, nil
}

func TestPost_WakeUpIsNeverLost(t *testing.T) {
	katatest.Watchdog(t, 2)
	places, err := droppedWakeUps(".")
	if err != nil {
		t.Fatal(err)
	}
	if len(places) > 0 {
		t.Error(katatest.Failure{
			Want: "a wake-up sent without blocking is kept until the loop receives it: the wake channel has room for one",
			Got:  places[0],
			Means: "lost wake-up: the loop finds the queue empty, and before it reaches its receive a Post queues f and " +
				"sends the wake-up, which is dropped because nobody is receiving yet. The loop then sleeps with a callback " +
				"queued, forever. Make the channel with a buffer of one: make(chan struct{}, 1)",
			Hint: 2,
		})
	}
}

// ---------------------------------------------------------------------------
// Task 5: one decision, one critical section.

// relockedSections finds, in the Go files of dir that are not tests, every
// place where a function releases a lock and takes the same lock again with
// nothing in between that waits or calls out: no call other than a builtin
// (len, append, make, delete...), no channel operation, no select, no loop.
// Such a pair splits one step in two critical sections: what the first saw
// ("still running", "queue empty", "not stopped") may have changed when the
// second acts on it, because Stop, Post or a timer can take the lock in the
// gap. It is a source check, as go vet's are: the gap runs no code that a
// test controls, so no forcing can put Stop into it. A lock released to wait
// (a receive, a callback, a Cond) and taken again is not reported. A path
// that returns (if stopped { mu.Unlock(); return }) ends its section.
func relockedSections(dir string) ([]string, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	fset := token.NewFileSet()
	var places []string
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			return nil, err
		}
		report := func(fn, lock string, released, taken token.Pos) {
			at := fmt.Sprintf("released at %s:%d and taken again at line %d", filepath.Base(name), fset.Position(released).Line, fset.Position(taken).Line)
			if fset.Position(released).Line == fset.Position(taken).Line {
				at = fmt.Sprintf("released and taken again at %s:%d", filepath.Base(name), fset.Position(taken).Line)
			}
			places = append(places, fmt.Sprintf("%s: %s %s, with nothing in between that needs it free", fn, lock, at))
		}
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			fn := fd.Name.Name
			ast.Inspect(fd, func(n ast.Node) bool {
				var body *ast.BlockStmt
				where := fn
				switch n := n.(type) {
				case *ast.FuncDecl:
					body = n.Body
				case *ast.FuncLit:
					body, where = n.Body, "a function literal in "+fn
				default:
					return true
				}
				s := sectionScan{report: func(lock string, released, taken token.Pos) { report(where, lock, released, taken) }}
				s.stmts(body.List, map[string]token.Pos{})
				return true
			})
		}
	}
	return places, nil
}

// sectionScan walks one function body in order, remembering the locks
// released since the last statement that waits or calls out.
type sectionScan struct {
	report func(lock string, released, taken token.Pos)
}

// lockCall reports whether e is x.Lock(), x.RLock(), x.Unlock() or
// x.RUnlock(), with x as text and whether it takes the lock.
func lockCall(e ast.Expr) (x string, take, ok bool) {
	call, isCall := ast.Unparen(e).(*ast.CallExpr)
	if !isCall || len(call.Args) != 0 {
		return "", false, false
	}
	sel, isSel := call.Fun.(*ast.SelectorExpr)
	if !isSel {
		return "", false, false
	}
	var b strings.Builder
	if err := printExpr(&b, sel.X); err != nil {
		return "", false, false
	}
	switch sel.Sel.Name {
	case "Lock", "RLock":
		return b.String(), true, true
	case "Unlock", "RUnlock":
		return b.String(), false, true
	}
	return "", false, false
}

// printExpr writes a selector chain (l.mu, ts.mu, l) as text.
func printExpr(b *strings.Builder, e ast.Expr) error {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		b.WriteString(e.Name)
	case *ast.SelectorExpr:
		if err := printExpr(b, e.X); err != nil {
			return err
		}
		b.WriteString("." + e.Sel.Name)
	case *ast.StarExpr:
		return printExpr(b, e.X)
	default:
		return errors.New("not a selector chain")
	}
	return nil
}

// busy reports whether n calls anything but a builtin, or receives from a
// channel: something during which another goroutine is meant to run.
func busy(n ast.Node) bool {
	if n == nil || reflect.ValueOf(n).IsNil() {
		return false
	}
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false // its body runs later, scanned on its own
		case *ast.CallExpr:
			if id, ok := ast.Unparen(n.Fun).(*ast.Ident); ok {
				switch id.Name {
				case "len", "cap", "append", "make", "new", "delete", "copy", "clear", "min", "max":
					return true
				}
			}
			found = true
		case *ast.UnaryExpr:
			if n.Op == token.ARROW {
				found = true
			}
		}
		return !found
	})
	return found
}

// terminates reports whether a block ends by leaving the function.
func terminates(b *ast.BlockStmt) bool {
	if b == nil || len(b.List) == 0 {
		return false
	}
	switch last := b.List[len(b.List)-1].(type) {
	case *ast.ReturnStmt:
		return true
	case *ast.ExprStmt:
		if call, ok := last.X.(*ast.CallExpr); ok {
			if id, ok := call.Fun.(*ast.Ident); ok && id.Name == "panic" {
				return true
			}
		}
	}
	return false
}

func copyReleased(m map[string]token.Pos) map[string]token.Pos {
	c := make(map[string]token.Pos, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

// stmts scans list with released, the locks released with nothing busy
// since, and updates it.
func (s sectionScan) stmts(list []ast.Stmt, released map[string]token.Pos) {
	for _, st := range list {
		s.stmt(st, released)
	}
}

func (s sectionScan) stmt(st ast.Stmt, released map[string]token.Pos) {
	clear := func() {
		for k := range released {
			delete(released, k)
		}
	}
	switch st := st.(type) {
	case *ast.ExprStmt:
		if x, take, ok := lockCall(st.X); ok {
			if !take {
				released[x] = st.Pos()
				return
			}
			if at, ok := released[x]; ok {
				s.report(x, at, st.Pos())
			}
			delete(released, x)
			return
		}
		if busy(st) {
			clear()
		}
	case *ast.DeferStmt:
		// Runs when the function returns.
	case *ast.ReturnStmt:
		clear() // this path ends here
	case *ast.BlockStmt:
		s.stmts(st.List, released)
	case *ast.LabeledStmt:
		s.stmt(st.Stmt, released)
	case *ast.IfStmt:
		if st.Init != nil {
			s.stmt(st.Init, released)
		}
		if busy(st.Cond) {
			clear()
		}
		branch := func(b ast.Stmt) {
			switch b := b.(type) {
			case nil:
			case *ast.BlockStmt:
				if terminates(b) {
					s.stmts(b.List, copyReleased(released)) // this path returns
				} else {
					s.stmts(b.List, released)
				}
			default: // else if
				s.stmt(b, released)
			}
		}
		branch(st.Body)
		branch(st.Else)
	case *ast.ForStmt:
		clear()
		s.stmts(st.Body.List, map[string]token.Pos{})
	case *ast.RangeStmt:
		clear()
		s.stmts(st.Body.List, map[string]token.Pos{})
	case *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
		clear()
		ast.Inspect(st, func(n ast.Node) bool {
			switch c := n.(type) {
			case *ast.CaseClause:
				s.stmts(c.Body, map[string]token.Pos{})
				return false
			case *ast.CommClause:
				s.stmts(c.Body, map[string]token.Pos{})
				return false
			case *ast.FuncLit:
				return false
			}
			return true
		})
	case *ast.AssignStmt, *ast.DeclStmt, *ast.IncDecStmt:
		if busy(st) {
			clear()
		}
	default: // send, go, branch statements...
		clear()
	}
}

func TestLoop_OneDecisionOneCriticalSection(t *testing.T) {
	katatest.Watchdog(t, 5)
	places, err := relockedSections(".")
	if err != nil {
		t.Fatal(err)
	}
	if len(places) > 0 {
		t.Error(katatest.Failure{
			Want: "each decision and the action it allows in one critical section: a lock is not released and taken again straight away",
			Got:  strings.Join(places, "\n"),
			Means: "a critical section split in two: what the first half saw (the loop running, the queue empty, the timers " +
				"not stopped) may have changed when the second half acts on it, because Stop, Post or a timer can take the " +
				"lock in the gap. A Post that queues f after Stop let the loop go loses a callback it accepted; an After " +
				"whose timer is recorded after Stop is never cancelled. Keep the check and the action under one Lock",
			Hint: 5,
		})
	}
}
