package pipelines

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"testing/synctest"
	"time"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
)

// A stage is FanOut or Ordered, for the tests both share.
type stage struct {
	name string
	run  func(ctx context.Context, p *pipe, in <-chan int, n int, f Func[int, int]) <-chan int
	hint int // the hint for this stage's own work
}

var (
	fanOut = stage{"FanOut", func(ctx context.Context, p *pipe, in <-chan int, n int, f Func[int, int]) <-chan int {
		return FanOut(ctx, p.g, in, n, f)
	}, 4}
	ordered = stage{"Ordered", func(ctx context.Context, p *pipe, in <-chan int, n int, f Func[int, int]) <-chan int {
		return Ordered(ctx, p.g, in, n, f)
	}, 5}
)

// start runs the stage with n workers over a feeder of items items.
func (s stage) start(t *testing.T, p *pipe, w *fakeWork, items, n int, lag time.Duration, keepOpen bool) (*feeder, <-chan int) {
	src := feed(t, p, items, lag, keepOpen)
	out := s.run(p.ctx, p, src.ch, n, w.call)
	drainLater(t, out)
	return src, out
}

// checkWorkers fails the test unless exactly n calls of f run.
func checkWorkers(t *testing.T, s stage, w *fakeWork, n, items int) {
	t.Helper()
	load := w.snap().load
	switch {
	case load == items && items > n:
		t.Fatal(katatest.Failure{
			Want:  fmt.Sprintf("exactly %d calls of f running while every call waits (%d workers)", n, n),
			Got:   fmt.Sprintf("all %d calls running at once", load),
			Means: "a goroutine per item, not n workers: unbounded fan-out. Start exactly n workers, each taking values from in",
			Hint:  s.hint,
		})
	case load > n:
		t.Fatal(katatest.Failure{
			Want:  fmt.Sprintf("exactly %d calls of f running (%d workers)", n, n),
			Got:   fmt.Sprintf("%d running", load),
			Means: fmt.Sprintf("more workers than asked: %d is not n", load),
			Hint:  s.hint,
		})
	case load < n:
		t.Fatal(katatest.Failure{
			Want:  fmt.Sprintf("exactly %d calls of f running while every call waits (%d workers)", n, n),
			Got:   fmt.Sprintf("%d running", load),
			Means: "fewer workers than asked: the calls run one after another, or some workers never start",
			Hint:  s.hint,
		})
	}
}

// Task 2: the shared channel is closed once, after the last worker returns.
// (First of the FanOut tests: a second close panics, and ends the run.)
func TestFanOut_ClosesAfterTheLastWorker(t *testing.T) {
	katatest.Bubble(t, 4, func(t *testing.T) {
		p := newPipe(t)
		w := newWork(t).gate(1)
		_, out := fanOut.start(t, p, w, 2, 2, 0, false)
		if v, a := receive(out); a != gotValue || v != 0 {
			t.Fatal(katatest.Failure{Want: "the result of item 0", Got: fmt.Sprint(v, a), Hint: 4})
		}
		synctest.Wait() // in is closed: one worker has returned, the other still runs f(1)
		if _, a := receiveNow(out); a == gotClosed {
			t.Fatal(katatest.Failure{
				Want:  "the channel still open while a worker runs f(1)",
				Got:   "the channel closed when the first worker returned",
				Means: "a worker closed the shared channel: with fan-in, no single worker knows it is the last. Close after every worker has returned (a WaitGroup, then close)",
				Hint:  4,
			})
		}
		w.open(1)
		got, a := collect(out, 0)
		if a == gotNone {
			t.Fatal(neverClosed("FanOut", got, 4))
		}
		if d := firstDifference([]int{1}, got); d != "" {
			t.Fatal(katatest.Failure{Want: "the result of item 1, then the channel closed", Got: d, Hint: 4})
		}
		checkWaitNil(t, p, "FanOut", 4)
	})
}

// Task 2 and 3: exactly n workers; a returning call makes room for the next.
func testExactlyNWorkers(t *testing.T, s stage) {
	katatest.Bubble(t, s.hint, func(t *testing.T) {
		const count, n = 20, 4
		p := newPipe(t)
		w := newWork(t).gate(items(count)...)
		_, out := s.start(t, p, w, count, n, 0, false)
		synctest.Wait()
		checkWorkers(t, s, w, n, count)
		w.open(0)
		if _, a := receive(out); a != gotValue {
			t.Fatal(katatest.Failure{Want: "the result of the first call that returned", Got: "none", Hint: s.hint})
		}
		synctest.Wait()
		if got := len(w.snap().started); got != n+1 {
			t.Fatal(katatest.Failure{
				Want:  fmt.Sprintf("%d calls started: the worker whose result was received takes the next value at once", n+1),
				Got:   fmt.Sprint(got),
				Means: "a worker that delivered its result did not take the next value",
				Hint:  s.hint,
			})
		}
		checkWorkers(t, s, w, n, count)
		w.openAll()
		got, a := collect(out, 0)
		if a == gotNone {
			t.Fatal(neverClosed(s.name, got, s.hint))
		}
		if d := sameSet(squares(0, count), append(got, square(0))); d != "" {
			t.Fatal(katatest.Failure{Want: "every other result once", Got: d, Means: s.name + " lost or repeated results", Hint: s.hint})
		}
		checkWaitNil(t, p, s.name, s.hint)
	})
}

func TestFanOut_ExactlyNWorkers(t *testing.T) { testExactlyNWorkers(t, fanOut) }

// Task 2 and 3: the workers run side by side, n at a time.
func testStillConcurrent(t *testing.T, s stage) {
	for _, c := range []struct {
		items, n int
		each     time.Duration
		want     time.Duration
		why      string
	}{
		{12, 3, 100 * time.Millisecond, 400 * time.Millisecond, "12 calls of 100ms, 3 at a time: 4 rounds"},
		{12, 1, 100 * time.Millisecond, 1200 * time.Millisecond, "12 calls of 100ms, one after another"},
		{3, 10, 100 * time.Millisecond, 100 * time.Millisecond, "3 calls of 100ms, with 10 workers: all at once"},
		{2000, 8, 10 * time.Millisecond, 2500 * time.Millisecond, "2000 calls of 10ms, 8 at a time: 250 rounds"},
	} {
		t.Run(fmt.Sprintf("%d_items_%d_workers", c.items, c.n), func(t *testing.T) {
			katatest.Bubble(t, s.hint, func(t *testing.T) {
				p := newPipe(t)
				w := newWork(t).every(c.each)
				_, out := s.start(t, p, w, c.items, c.n, 0, false)
				var got []int
				took := katatest.Elapsed(func() {
					var a arrival
					if got, a = collect(out, 0); a == gotNone {
						t.Fatal(neverClosed(s.name, got, s.hint))
					}
				})
				if d := sameSet(squares(0, c.items), got); d != "" {
					t.Fatal(katatest.Failure{Want: fmt.Sprintf("the result of each of the %d items once", c.items), Got: d, Means: s.name + " lost or repeated results", Hint: s.hint})
				}
				if took != c.want || w.snap().maxLoad > c.n {
					means := fmt.Sprintf("%s must run n calls at once, no more, for as long as there are values", s.name)
					if took > c.want {
						means = "the calls were serialized, or a hidden cap on workers: n workers must run side by side"
					}
					t.Fatal(katatest.Failure{
						Want:  fmt.Sprintf("the channel closed after %v (%s)", c.want, c.why),
						Got:   fmt.Sprintf("after %v, at most %d calls at once", took, w.snap().maxLoad),
						Means: means,
						Hint:  s.hint,
					})
				}
				checkWaitNil(t, p, s.name, s.hint)
			})
		})
	}
}

func TestFanOut_StillConcurrent(t *testing.T) { testStillConcurrent(t, fanOut) }

// Task 2 and 3: no items, and one item.
func testNoItemsAndOne(t *testing.T, s stage) {
	for _, n := range []int{0, 1} {
		t.Run(katatest.Count(n, "item"), func(t *testing.T) {
			katatest.Bubble(t, 4, func(t *testing.T) {
				p := newPipe(t)
				_, out := s.start(t, p, newWork(t), n, 3, 0, false)
				got, a := collect(out, 0)
				if a == gotNone {
					t.Fatal(neverClosed(s.name, got, s.hint))
				}
				if d := firstDifference(squares(0, n), got); d != "" {
					t.Fatal(katatest.Failure{Want: fmt.Sprintf("%s, then the channel closed", katatest.Count(n, "result")), Got: d, Hint: s.hint})
				}
				checkWaitNil(t, p, s.name, 4)
			})
		})
	}
}

func TestFanOut_NoItemsAndOneItem(t *testing.T) { testNoItemsAndOne(t, fanOut) }

// Task 2: with the consumer away, n workers hold n values, no more.
func TestFanOut_HoldsNValues(t *testing.T) {
	katatest.Bubble(t, 4, func(t *testing.T) {
		const n = 3
		p := newPipe(t)
		src, out := fanOut.start(t, p, newWork(t), 20, n, 0, false)
		for delivered := 0; delivered <= 2; delivered++ {
			synctest.Wait()
			if taken, _ := src.counts(); taken != n+delivered {
				means := "fewer values taken than workers: the workers do not all take values"
				if taken > n+delivered {
					means = "FanOut buffers results its consumer is not ready for: a buffered channel, or a goroutine per send. Each worker holds one value and waits for the consumer"
				}
				t.Fatal(katatest.Failure{
					Want:  fmt.Sprintf("%d values taken after the consumer received %d: each of the %d workers holds one", n+delivered, delivered, n),
					Got:   fmt.Sprintf("%d taken", taken),
					Means: means,
					Hint:  4,
				})
			}
			if _, a := receive(out); a != gotValue {
				t.Fatal(katatest.Failure{Want: "a result", Got: "none", Hint: 4})
			}
		}
	})
}

// Task 2 and 3: a slow consumer gets every value.
func testSlowConsumer(t *testing.T, s stage, inOrder bool) {
	katatest.Bubble(t, 2, func(t *testing.T) {
		p := newPipe(t)
		_, out := s.start(t, p, newWork(t), 30, 3, 0, false)
		got, a := collect(out, 10*time.Millisecond)
		if a == gotNone {
			t.Fatal(neverClosed(s.name, got, s.hint))
		}
		d := sameSet(squares(0, 30), got)
		if inOrder {
			d = firstDifference(squares(0, 30), got)
		}
		if d != "" {
			t.Fatal(katatest.Failure{
				Want:  "all 30 results for a consumer that needs 10ms per value",
				Got:   d,
				Means: "a stage that forwards dropped values when the consumer was not ready: a select with a default case gives up on the send",
				Hint:  2,
			})
		}
		checkWaitNil(t, p, s.name, s.hint)
	})
}

func TestFanOut_SlowConsumer(t *testing.T) { testSlowConsumer(t, fanOut, false) }

// Task 2 and 3: an error on the second item stops every worker and the
// stage before, and reaches g.Wait.
func testErrorOnTheSecondItem(t *testing.T, s stage, want []int, why string) {
	katatest.Bubble(t, 3, func(t *testing.T) {
		p := newPipe(t)
		w := newWork(t)
		w.latency = func(i int) time.Duration {
			switch i {
			case 0:
				return 10 * time.Millisecond
			case 1:
				return 50 * time.Millisecond
			case 2:
				return 20 * time.Millisecond
			case 3:
				return 30 * time.Millisecond
			}
			return 100 * time.Millisecond
		}
		w.fail[1] = errBoom
		src, out := s.start(t, p, w, 30, 4, 0, false)
		got, a := collect(out, 0)
		if a == gotNone {
			t.Fatal(neverClosed(s.name, got, s.hint))
		}
		o := await(t, "g.Wait", p.waitInBackground(), 3)
		synctest.Wait()
		if !errors.Is(o.err, errBoom) {
			t.Fatal(katatest.Failure{
				Want:  fmt.Sprintf("g.Wait returns the error of item 1 (%v)", errBoom),
				Got:   fmt.Sprint(o.err),
				Means: "the error was lost: each worker must return f's error from its goroutine in the group",
				Hint:  3,
			})
		}
		if d := firstDifference(want, got); d != "" {
			t.Fatal(katatest.Failure{Want: why, Got: d, Means: "results sent after the error, or out of order", Hint: s.hint})
		}
		if _, stoppedAt := src.counts(); stoppedAt != 50*time.Millisecond || o.took != 50*time.Millisecond+hangUp {
			t.Fatal(katatest.Failure{
				Want:  "the stage before sees ctx done at 50ms, when item 1 fails, and g.Wait returns at 60ms, once the cancelled calls (10ms to hang up) have returned",
				Got:   fmt.Sprintf("the stage before stopped at %v (-1: never), g.Wait returned after %v", stoppedAt, o.took),
				Means: "the first error did not stop the pipeline at once: return it from the worker's g.Go function, and give f the group's context",
				Hint:  3,
			})
		}
	})
}

func TestFanOut_ErrorOnTheSecondItem(t *testing.T) {
	testErrorOnTheSecondItem(t, fanOut, []int{0, 4, 9},
		"the results of items 0 (ready at 10ms), 2 (20ms) and 3 (30ms), in the order they were ready, then the channel closed when item 1 fails at 50ms")
}

// Task 2 and 3: a cancel reaches every worker, whatever it waits for.
func testCancelReachesEveryWorker(t *testing.T, s stage) {
	katatest.Bubble(t, 2, func(t *testing.T) {
		// 2 items for 4 workers: two hold a result for a consumer who has
		// quit, two wait for a value from a stage that is slow to notice.
		p := newPipe(t)
		_, out := s.start(t, p, newWork(t), 2, 4, time.Second, true)
		synctest.Wait()
		p.cancel()
		wait := p.waitInBackground()
		synctest.Wait()
		o, ok := returned(wait)
		switch {
		case !ok:
			t.Fatal(katatest.Failure{
				Want:  s.name + "'s goroutines return the moment ctx is done",
				Got:   "g.Wait had not returned",
				Means: "cancel did not reach every worker: one waits for its consumer, or for in to close, without ctx.Done() in the same select (a goroutine leak)",
				Hint:  2,
			})
		case !errors.Is(o.err, context.Canceled):
			t.Fatal(katatest.Failure{Want: "an error for which errors.Is(err, context.Canceled) holds", Got: fmt.Sprint(o.err), Means: "a stage stopped by a cancel must return ctx.Err()", Hint: 2})
		}
		if _, a := receiveNow(out); a != gotClosed {
			t.Fatal(neverClosed(s.name, nil, s.hint))
		}
	})
}

func TestFanOut_CancelReachesEveryWorker(t *testing.T) { testCancelReachesEveryWorker(t, fanOut) }

// Task 2 and 3: fewer than one worker is refused before anything starts.
func testBelowOneWorker(t *testing.T, s stage) {
	katatest.Bubble(t, s.hint, func(t *testing.T) {
		for _, n := range []int{0, -1} {
			p := newPipe(t)
			before := goroutines()
			if !mustPanic(func() { s.run(p.ctx, p, make(chan int), n, newWork(t).call) }) {
				t.Fatal(katatest.Failure{
					Want:  fmt.Sprintf("%s with %d workers panics", s.name, n),
					Got:   "it returned",
					Means: "with no worker nothing ever takes a value and the pipeline waits for ever: refuse n < 1 at once",
					Hint:  s.hint,
				})
			}
			if extra := goroutines() - before; extra != 0 {
				t.Fatal(katatest.Failure{Want: "no goroutine started before the panic", Got: fmt.Sprintf("%d started", extra), Hint: s.hint})
			}
		}
	})
}

func TestFanOut_BelowOneWorker(t *testing.T) { testBelowOneWorker(t, fanOut) }

// Task 2 and 3: g.Wait waits for every goroutine of the stage, the ones
// that hold results for an absent consumer included.
func testWaitCoversEveryGoroutine(t *testing.T, s stage) {
	katatest.Bubble(t, s.hint, func(t *testing.T) {
		p := newPipe(t)
		_, out := s.start(t, p, newWork(t), 3, 4, 0, false)
		synctest.Wait() // in is closed, every call is done; the consumer has not come yet
		wait := p.waitInBackground()
		synctest.Wait()
		if o, ok := returned(wait); ok {
			t.Fatal(katatest.Failure{
				Want:  "g.Wait waits: " + s.name + " still holds 3 results for its consumer",
				Got:   fmt.Sprintf("g.Wait returned %v", o.err),
				Means: "a goroutine of the stage runs outside the group: start every goroutine with g.Go, so that g.Wait means the whole stage has returned",
				Hint:  s.hint,
			})
		}
		got, a := collect(out, 0)
		if a == gotNone {
			t.Fatal(neverClosed(s.name, got, s.hint))
		}
		if o := await(t, "g.Wait", wait, s.hint); o.err != nil || sameSet(squares(0, 3), got) != "" {
			t.Fatal(katatest.Failure{Want: "the 3 results, then g.Wait returning nil", Got: fmt.Sprintf("%v, then %v", got, o.err), Hint: s.hint})
		}
	})
}

func TestFanOut_WaitCoversEveryGoroutine(t *testing.T) { testWaitCoversEveryGoroutine(t, fanOut) }
