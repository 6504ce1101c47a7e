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

// items returns 0, 1, ..., n-1.
func items(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// checkWaitNil fails the test unless the group returned nil.
func checkWaitNil(t *testing.T, p *pipe, stage string, hint int) {
	t.Helper()
	o := await(t, "g.Wait", p.waitInBackground(), hint)
	if o.err != nil {
		t.Fatal(katatest.Failure{
			Want:  "g.Wait returns nil: every item went through and nothing failed",
			Got:   fmt.Sprint(o.err),
			Means: stage + " returned an error to its group although its input ended normally",
			Hint:  hint,
		})
	}
}

// Task 1: Generate sends the items in order, then closes its channel.
func TestGenerate_ItemsInOrder(t *testing.T) {
	for _, n := range []int{0, 1, 3, 2000} {
		t.Run(katatest.Count(n, "item"), func(t *testing.T) {
			katatest.Bubble(t, 1, func(t *testing.T) {
				p := newPipe(t)
				out := Generate(p.ctx, p.g, items(n))
				drainLater(t, out)
				got, a := collect(out, 0)
				if a == gotNone {
					t.Fatal(neverClosed("Generate", got, 1))
				}
				if d := firstDifference(items(n), got); d != "" {
					t.Fatal(katatest.Failure{
						Want:  fmt.Sprintf("the %s, in their order, then the channel closed", katatest.Count(n, "item")),
						Got:   d,
						Means: "Generate must send every item once, in order, and close its channel only after the last",
						Hint:  1,
					})
				}
				checkWaitNil(t, p, "Generate", 1)
			})
		})
	}
}

// Task 1: once ctx is done, Generate sends nothing more and closes.
func TestGenerate_StopsOnCancel(t *testing.T) {
	katatest.Bubble(t, 2, func(t *testing.T) {
		p := newPipe(t)
		out := Generate(p.ctx, p.g, items(10))
		drainLater(t, out)
		for range 2 {
			if _, a := receive(out); a != gotValue {
				t.Fatal(katatest.Failure{Want: "items 0 and 1", Got: "the channel closed or silent before them", Hint: 1})
			}
		}
		synctest.Wait() // Generate is now waiting to send item 2
		p.cancel()
		synctest.Wait()
		v, a := receiveNow(out)
		switch a {
		case gotValue:
			t.Fatal(katatest.Failure{
				Want:  "the channel closed: the consumer cancelled after 2 items",
				Got:   fmt.Sprintf("item %d, sent after the cancel", v),
				Means: "Generate ignores ctx: a send without ctx.Done() in the same select blocks until someone receives, so when the consumer quits, the producer is left blocked (a goroutine leak)",
				Hint:  2,
			})
		case gotNone:
			t.Fatal(katatest.Failure{
				Want:  "the channel closed at once when ctx is done",
				Got:   "the channel still open, and Generate not sending",
				Means: "Generate returned without closing its channel, or is stuck",
				Hint:  2,
			})
		}
		wait := p.waitInBackground()
		synctest.Wait()
		o, ok := returned(wait)
		if !ok || !errors.Is(o.err, context.Canceled) {
			t.Fatal(katatest.Failure{
				Want:  "g.Wait returns at once an error for which errors.Is(err, context.Canceled) holds",
				Got:   fmt.Sprintf("returned: %v, error: %v", ok, o.err),
				Means: "a stage stopped by a cancel must say so: return ctx.Err(), not nil, or the pipeline looks complete",
				Hint:  2,
			})
		}
	})
}

// startMap runs Map over a feeder of n items and returns both.
func startMap(t *testing.T, p *pipe, w *fakeWork, n int, lag time.Duration, keepOpen bool) (*feeder, <-chan int) {
	src := feed(t, p, n, lag, keepOpen)
	out := Map(p.ctx, p.g, (<-chan int)(src.ch), w.call)
	drainLater(t, out)
	return src, out
}

// Task 1: Map sends f's result for every value, in order, and closes.
func TestMap_ResultsInOrder(t *testing.T) {
	for _, n := range []int{0, 1, 3, 2000} {
		t.Run(katatest.Count(n, "item"), func(t *testing.T) {
			katatest.Bubble(t, 1, func(t *testing.T) {
				p := newPipe(t)
				w := newWork(t).every(time.Millisecond)
				_, out := startMap(t, p, w, n, 0, false)
				var got []int
				took := katatest.Elapsed(func() {
					var a arrival
					got, a = collect(out, 0)
					if a == gotNone {
						t.Fatal(neverClosed("Map", got, 1))
					}
				})
				if d := firstDifference(squares(0, n), got); d != "" {
					t.Fatal(katatest.Failure{
						Want:  fmt.Sprintf("the squares of the %s, in order, then the channel closed", katatest.Count(n, "item")),
						Got:   d,
						Means: "Map must send f's result for every value from in, once each, in the order of in",
						Hint:  1,
					})
				}
				if want := time.Duration(n) * time.Millisecond; took != want {
					t.Fatal(katatest.Failure{
						Want:  fmt.Sprintf("the last result after %v: %s of 1ms, one after another", want, katatest.Count(n, "call")),
						Got:   took.String(),
						Means: "Map is one worker: it calls f once per value, one call at a time",
						Hint:  1,
					})
				}
				checkWaitNil(t, p, "Map", 1)
			})
		})
	}
}

// Task 1: a consumer that is not ready makes Map wait; Map holds one value.
func TestMap_HoldsOneValue(t *testing.T) {
	katatest.Bubble(t, 2, func(t *testing.T) {
		p := newPipe(t)
		w := newWork(t)
		src, out := startMap(t, p, w, 10, 0, false)
		for delivered := 0; delivered <= 3; delivered++ {
			synctest.Wait()
			taken, _ := src.counts()
			if taken != delivered+1 {
				means := "Map took no value: it must take one, call f and wait for the consumer to receive the result"
				if taken > delivered+1 {
					means = "Map buffers results its consumer is not ready for: a buffered channel or a goroutine per send piles values up instead of slowing the stage down. Use an unbuffered channel and one send at a time"
				}
				t.Fatal(katatest.Failure{
					Want:  fmt.Sprintf("%d values taken from in after the consumer received %d: one held, waiting for the consumer", delivered+1, delivered),
					Got:   fmt.Sprintf("%d taken", taken),
					Means: means,
					Hint:  2,
				})
			}
			if v, a := receive(out); a != gotValue || v != square(delivered) {
				t.Fatal(katatest.Failure{Want: fmt.Sprintf("result %d", square(delivered)), Got: fmt.Sprint(v, a), Hint: 1})
			}
		}
	})
}

// Task 1: a slow consumer gets every value; Map never drops one.
func TestMap_SlowConsumer(t *testing.T) {
	katatest.Bubble(t, 2, func(t *testing.T) {
		p := newPipe(t)
		w := newWork(t)
		_, out := startMap(t, p, w, 20, 0, false)
		got, a := collect(out, 10*time.Millisecond)
		if a == gotNone {
			t.Fatal(neverClosed("Map", got, 1))
		}
		if d := firstDifference(squares(0, 20), got); d != "" {
			t.Fatal(katatest.Failure{
				Want:  "all 20 results, in order, for a consumer that needs 10ms per value",
				Got:   d,
				Means: "a stage that forwards dropped values when the consumer was not ready: a select with a default case gives up on the send. Wait for the consumer (or for ctx.Done())",
				Hint:  2,
			})
		}
		checkWaitNil(t, p, "Map", 1)
	})
}

// Task 1: an error stops Map, reaches g.Wait and cancels the stage before.
func TestMap_ErrorStopsTheStage(t *testing.T) {
	for _, c := range []struct {
		name    string
		failing int
	}{{"on the first item", 0}, {"on the second item", 1}} {
		t.Run(c.name, func(t *testing.T) {
			katatest.Bubble(t, 3, func(t *testing.T) {
				p := newPipe(t)
				w := newWork(t).every(10 * time.Millisecond)
				w.fail[c.failing] = errBoom
				src, out := startMap(t, p, w, 10, 0, false)
				got, a := collect(out, 0)
				if a == gotNone {
					t.Fatal(neverClosed("Map", got, 3))
				}
				o := await(t, "g.Wait", p.waitInBackground(), 3)
				if !errors.Is(o.err, errBoom) {
					t.Fatal(katatest.Failure{
						Want:  fmt.Sprintf("g.Wait returns the error of item %d (%v)", c.failing, errBoom),
						Got:   fmt.Sprint(o.err),
						Means: "the error was lost: a stage must return f's error from its goroutine in the group, not log it, skip the value or send a zero value",
						Hint:  3,
					})
				}
				if d := firstDifference(squares(0, c.failing), got); d != "" {
					t.Fatal(katatest.Failure{
						Want:  fmt.Sprintf("the results before item %d, and nothing after it", c.failing),
						Got:   d,
						Means: "Map went on after f failed: the first error stops the stage",
						Hint:  3,
					})
				}
				synctest.Wait() // the stage before has seen what it was going to see
				s := w.snap()
				taken, stoppedAt := src.counts()
				failedAt := time.Duration(c.failing+1) * 10 * time.Millisecond
				if len(s.started) != c.failing+1 || taken != c.failing+1 {
					t.Fatal(katatest.Failure{
						Want:  fmt.Sprintf("f called for items 0 to %d only, and %d taken from in", c.failing, c.failing+1),
						Got:   fmt.Sprintf("f called for %v, %d taken", short(s.started), taken),
						Means: "Map went on after f failed: the first error stops the stage",
						Hint:  3,
					})
				}
				if stoppedAt != failedAt || o.took != failedAt {
					t.Fatal(katatest.Failure{
						Want:  fmt.Sprintf("the stage before Map sees ctx done at %v, when f fails, and g.Wait returns then", failedAt),
						Got:   fmt.Sprintf("stage before stopped at %v (-1: never), g.Wait returned after %v", stoppedAt, o.took),
						Means: "the error did not cancel the pipeline: run the stage with g.Go and give f the group's context",
						Hint:  3,
					})
				}
			})
		})
	}
}

// Task 1: an error in a middle stage stops the stages before and after it.
func TestMap_ErrorInAMiddleStage(t *testing.T) {
	katatest.Bubble(t, 3, func(t *testing.T) {
		p := newPipe(t)
		first := newWork(t).every(10 * time.Millisecond)
		first.fail[1] = errBoom
		second := newWork(t) // at once: item 0 is through before item 1 fails
		gen := Generate(p.ctx, p.g, items(100))
		mid := Map(p.ctx, p.g, gen, first.call)
		out := Map(p.ctx, p.g, mid, second.call)
		drainLater(t, out, mid, gen)
		got, a := collect(out, 0)
		if a == gotNone {
			t.Fatal(neverClosed("the last Map", got, 1))
		}
		o := await(t, "g.Wait", p.waitInBackground(), 3)
		if !errors.Is(o.err, errBoom) {
			t.Fatal(katatest.Failure{
				Want:  "g.Wait returns the error of the middle stage, item 1: " + errBoom.Error(),
				Got:   fmt.Sprint(o.err),
				Means: "a middle-stage error was lost: the stage after it saw its input end and the pipeline looked complete",
				Hint:  3,
			})
		}
		if want := []int{square(square(0))}; firstDifference(want, got) != "" || o.took != 20*time.Millisecond {
			t.Fatal(katatest.Failure{
				Want:  "one result (item 0 through both stages), the channel closed, and g.Wait returning at 20ms, when item 1 fails",
				Got:   fmt.Sprintf("%s, g.Wait after %v", short(got), o.took),
				Means: "the stages did not stop at the error",
				Hint:  3,
			})
		}
	})
}

// Task 1: a cancel reaches Map while it waits for its consumer.
func TestMap_CancelWhileTheConsumerIsAway(t *testing.T) {
	katatest.Bubble(t, 2, func(t *testing.T) {
		p := newPipe(t)
		w := newWork(t)
		_, out := startMap(t, p, w, 10, 0, false)
		if _, a := receive(out); a != gotValue {
			t.Fatal(katatest.Failure{Want: "the first result", Got: "none", Hint: 1})
		}
		synctest.Wait() // Map holds result 1 and waits for the consumer, who has quit
		p.cancel()
		synctest.Wait()
		v, a := receiveNow(out)
		waiting := p.waitInBackground()
		synctest.Wait()
		wait, ok := returned(waiting)
		switch {
		case a == gotValue:
			t.Fatal(katatest.Failure{
				Want:  "Map returns when ctx is done, and closes its channel",
				Got:   fmt.Sprintf("Map was still waiting to send %d after the cancel", v),
				Means: "a consumer that quits leaves the stage blocked on its send: a goroutine leak. Send in a select with <-ctx.Done()",
				Hint:  2,
			})
		case a == gotNone:
			t.Fatal(neverClosed("Map", nil, 2))
		case !ok || !errors.Is(wait.err, context.Canceled):
			t.Fatal(katatest.Failure{
				Want:  "g.Wait returns at once an error for which errors.Is(err, context.Canceled) holds",
				Got:   fmt.Sprintf("returned: %v, error: %v", ok, wait.err),
				Means: "a stage stopped by a cancel must return ctx.Err()",
				Hint:  2,
			})
		}
	})
}

// Task 1: a cancel reaches Map while it waits for a value, even when the
// stage before it is slow to notice.
func TestMap_CancelWhileWaitingForInput(t *testing.T) {
	katatest.Bubble(t, 2, func(t *testing.T) {
		p := newPipe(t)
		w := newWork(t)
		_, out := startMap(t, p, w, 1, time.Second, true)
		if v, a := receive(out); a != gotValue || v != 0 {
			t.Fatal(katatest.Failure{Want: "the result of item 0", Got: fmt.Sprint(v, a), Hint: 1})
		}
		synctest.Wait() // Map waits for the next value, which is not coming
		p.cancel()
		synctest.Wait()
		if _, a := receiveNow(out); a != gotClosed {
			t.Fatal(katatest.Failure{
				Want:  "Map closes its channel the moment ctx is done",
				Got:   "the channel still open: Map is waiting for its input, whose stage needs 1s to notice the cancel",
				Means: "the cancel reached Map only through the stage before it: a range over in waits for in to close. Receive in a select with <-ctx.Done(), so each stage stops on its own",
				Hint:  2,
			})
		}
	})
}

// Task 1: a call of f that runs when ctx is done is cancelled too.
func TestMap_CancelWhileFRuns(t *testing.T) {
	katatest.Bubble(t, 2, func(t *testing.T) {
		p := newPipe(t)
		w := newWork(t).gate(0)
		startMap(t, p, w, 5, 0, false)
		time.Sleep(30 * time.Millisecond)
		synctest.Wait()
		p.cancel()
		o := await(t, "g.Wait", p.waitInBackground(), 2)
		at, ok := w.snap().cancelledAt[0]
		if !ok || at != 30*time.Millisecond || o.took != 30*time.Millisecond+hangUp {
			t.Fatal(katatest.Failure{
				Want:  "the call of f for item 0 sees its context done at 30ms, when the caller cancels, and g.Wait returns 10ms later",
				Got:   fmt.Sprintf("f saw it: %v (at %v); g.Wait returned after %v", ok, at, o.took),
				Means: "f was not given the group's context, so the cancel does not reach the work in progress",
				Hint:  2,
			})
		}
	})
}

// Task 1: a cancel reaches every stage of a chain, not only the last.
func TestPipeline_CancelReachesEveryStage(t *testing.T) {
	katatest.Bubble(t, 2, func(t *testing.T) {
		p := newPipe(t)
		gen := Generate(p.ctx, p.g, items(100))
		a := Map(p.ctx, p.g, gen, newWork(t).call)
		b := Map(p.ctx, p.g, a, newWork(t).call)
		out := Map(p.ctx, p.g, b, newWork(t).call)
		drainLater(t, out, b, a, gen)
		for range 3 {
			if _, ar := receive(out); ar != gotValue {
				t.Fatal(katatest.Failure{Want: "3 results", Got: "fewer", Hint: 1})
			}
		}
		synctest.Wait() // every stage holds a value and waits for the next
		p.cancel()
		synctest.Wait()
		wait := p.waitInBackground()
		synctest.Wait()
		if _, ok := returned(wait); !ok {
			t.Fatal(katatest.Failure{
				Want:  "every stage of Generate → Map → Map → Map returns the moment the consumer cancels",
				Got:   "g.Wait had not returned: a stage is still blocked",
				Means: "cancel stopped only the last stage: every stage must wait for ctx.Done() in the same select as each send and each receive",
				Hint:  2,
			})
		}
		if _, ar := receiveNow(out); ar != gotClosed {
			t.Fatal(neverClosed("the last Map", nil, 2))
		}
	})
}
