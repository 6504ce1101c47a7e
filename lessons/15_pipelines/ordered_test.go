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

// Task 3: the results come in the order of the items, whatever f takes.
func TestOrdered_KeepsInputOrder(t *testing.T) {
	katatest.Bubble(t, 5, func(t *testing.T) {
		const count = 200
		p := newPipe(t)
		w := newWork(t)
		w.latency = func(i int) time.Duration { return time.Duration(1+(i*37)%11) * 10 * time.Millisecond }
		_, out := ordered.start(t, p, w, count, 4, 0, false)
		got, a := collect(out, 0)
		if a == gotNone {
			t.Fatal(neverClosed("Ordered", got, 5))
		}
		if d := firstDifference(squares(0, count), got); d != "" {
			means := "Ordered lost or repeated results"
			if sameSet(squares(0, count), got) == "" {
				means = "Ordered reorders: the results come in the order they are ready, as from FanOut. Deliver them in the order the values were taken"
			}
			t.Fatal(katatest.Failure{
				Want:  "the results of items 0 to 199 in that order, though their calls take 10ms to 110ms",
				Got:   d,
				Means: means,
				Hint:  5,
			})
		}
		checkWaitNil(t, p, "Ordered", 5)
	})
}

// Task 3: while the first item is held back, Ordered holds at most n
// values, and a delivered result makes room for the next value at once.
func TestOrdered_BoundedBuffer(t *testing.T) {
	katatest.Bubble(t, 5, func(t *testing.T) {
		const count, n = 100, 4
		p := newPipe(t)
		w := newWork(t).gate(0) // item 0 is slow; every other call returns at once
		src, out := ordered.start(t, p, w, count, n, 0, false)
		check := func(delivered int, when string) {
			t.Helper()
			synctest.Wait()
			taken, _ := src.counts()
			want := min(n, count-delivered) + delivered
			if taken == want {
				return
			}
			f := katatest.Failure{
				Want: fmt.Sprintf("%d values taken from in %s, %d delivered: at most %d held (the bound is n = %d)", want, when, delivered, n, n),
				Got:  fmt.Sprintf("%d taken, %d held", taken, taken-delivered),
				Hint: 5,
			}
			switch {
			case taken == count && delivered < count-n:
				f.Means = "buffers without bound: Ordered took every value while the first one was held back. Take a value only while fewer than n are held"
			case taken == want+1:
				f.Means = fmt.Sprintf("off by one: %d values held for n = %d. Take a slot before taking a value, and free it once its result is received", n+1, n)
			case taken > want:
				f.Means = "the reorder buffer is not bounded by n"
			default:
				f.Means = "Ordered does not use its window: once a result is received, the next value must be taken at once (a sliding window, not batches)"
			}
			t.Fatal(f)
		}
		check(0, "while item 0 runs and the results behind it wait")
		w.open(0)
		check(0, "once item 0 is done, and the consumer has not received it yet")
		var got []int
		for delivered := 1; delivered <= count; delivered++ {
			v, a := receive(out)
			if a != gotValue {
				t.Fatal(katatest.Failure{Want: fmt.Sprintf("result %d", delivered-1), Got: fmt.Sprintf("the channel closed or silent after %s", katatest.Count(delivered-1, "result")), Hint: 5})
			}
			got = append(got, v)
			check(delivered, fmt.Sprintf("after the consumer received %d", delivered))
		}
		if d := firstDifference(squares(0, count), got); d != "" {
			t.Fatal(katatest.Failure{Want: "the results in the order of the items", Got: d, Means: "Ordered reorders", Hint: 5})
		}
		if _, a := receive(out); a != gotClosed {
			t.Fatal(neverClosed("Ordered", got, 5))
		}
		checkWaitNil(t, p, "Ordered", 5)
	})
}

func TestOrdered_ExactlyNWorkers(t *testing.T)          { testExactlyNWorkers(t, ordered) }
func TestOrdered_StillConcurrent(t *testing.T)          { testStillConcurrent(t, ordered) }
func TestOrdered_NoItemsAndOneItem(t *testing.T)        { testNoItemsAndOne(t, ordered) }
func TestOrdered_SlowConsumer(t *testing.T)             { testSlowConsumer(t, ordered, true) }
func TestOrdered_BelowOneWorker(t *testing.T)           { testBelowOneWorker(t, ordered) }
func TestOrdered_CancelReachesEveryWorker(t *testing.T) { testCancelReachesEveryWorker(t, ordered) }

func TestOrdered_ErrorOnTheSecondItem(t *testing.T) {
	testErrorOnTheSecondItem(t, ordered, []int{0},
		"the result of item 0 only: items 2 and 3 are ready before item 1 fails at 50ms, but come after it")
}

// Task 3: a cancel while the first item is held back stops everything.
func TestOrdered_CancelWhileTheFirstIsHeldBack(t *testing.T) {
	katatest.Bubble(t, 5, func(t *testing.T) {
		p := newPipe(t)
		w := newWork(t).gate(0)
		_, out := ordered.start(t, p, w, 100, 4, 0, false)
		time.Sleep(30 * time.Millisecond)
		synctest.Wait() // item 0 runs; 1, 2, 3 are done and wait behind it; the window is full
		p.cancel()
		wait := p.waitInBackground()
		synctest.Wait()
		if _, ok := returned(wait); !ok {
			time.Sleep(hangUp)
			synctest.Wait()
		}
		o, ok := returned(wait)
		switch {
		case !ok:
			t.Fatal(katatest.Failure{
				Want:  "every goroutine of Ordered returns when ctx is done (the call of item 0 needs 10ms to hang up)",
				Got:   "g.Wait had not returned",
				Means: "cancel did not reach every goroutine: one waits for a result, a slot or the consumer without ctx.Done() in the same select (a goroutine leak)",
				Hint:  5,
			})
		case !errors.Is(o.err, context.Canceled) || o.took != 30*time.Millisecond+hangUp:
			t.Fatal(katatest.Failure{
				Want:  "g.Wait returns context.Canceled at 40ms: the cancel at 30ms, and 10ms for the call of item 0 to hang up",
				Got:   fmt.Sprintf("%v after %v", o.err, o.took),
				Means: "the call of item 0 was not cancelled with the group's context, or the stage did not return ctx.Err()",
				Hint:  2,
			})
		}
		if _, a := receiveNow(out); a != gotClosed {
			t.Fatal(neverClosed("Ordered", nil, 5))
		}
	})
}

func TestOrdered_WaitCoversEveryGoroutine(t *testing.T) { testWaitCoversEveryGoroutine(t, ordered) }
