package pipelines

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
	"github.com/gokatas/concurrency/tools/evidence"
)

// A found is what Find returned, when, and what still ran then.
type found struct {
	v       int
	err     error
	took    time.Duration
	running []int // calls of f still running when Find returned
}

// startFind runs Find over items 0 to count-1 with n workers in a goroutine
// of its own, looking for the result want.
func startFind(ctx context.Context, w *fakeWork, count, n, want int) <-chan found {
	res := make(chan found, 1)
	start := time.Now()
	go func() {
		v, err := Find(ctx, items(count), n, w.call, func(r int) bool { return r == want })
		res <- found{v: v, err: err, took: time.Since(start), running: w.snap().running}
	}()
	return res
}

func awaitFind(t *testing.T, res <-chan found) found {
	t.Helper()
	select {
	case f := <-res:
		return f
	case <-time.After(2 * patience):
		t.Fatal(evidence.Errorf(evidence.Deadlock, t.Name(), "%s", strings.TrimPrefix(katatest.Failure{
			Want:  "Find returns",
			Got:   fmt.Sprintf("it had not returned %v (of fake time) later, although its context ended after %v", 2*patience, patience),
			Means: "a stage is blocked for ever: Find or a stage waits on a channel without also waiting for ctx.Done()",
			Hint:  6,
		}.String(), "\n")))
	}
	return found{}
}

// checkNothingLeft fails the test if calls of f still ran when Find returned.
func checkNothingLeft(t *testing.T, f found) {
	t.Helper()
	if len(f.running) > 0 {
		t.Fatal(katatest.Failure{
			Want:  "nothing running when Find returns: it waits until every stage has returned",
			Got:   fmt.Sprintf("the calls of f for items %v still running when Find returned", f.running),
			Means: "Find returned without waiting for the pipeline: goroutines left running (a goroutine leak until they notice). Call g.Wait() before returning",
			Hint:  6,
		})
	}
}

// Task 4: Find stops the pipeline at the first match, and leaves nothing behind.
func TestFind_StopsAtTheFirstMatch(t *testing.T) {
	katatest.Bubble(t, 6, func(t *testing.T) {
		const count, n = 1000, 4
		w := newWork(t)
		w.latency = func(i int) time.Duration {
			if i == 5 {
				return 50 * time.Millisecond
			}
			return 100 * time.Millisecond
		}
		// Items 0-3 take 100ms; 4-7 start at 100ms, and item 5 is the
		// match, at 150ms, while 4, 6 and 7 still run.
		f := awaitFind(t, startFind(newPipe(t).ctx, w, count, n, square(5)))
		s := w.snap()
		switch {
		case f.took == patience || f.took > patience:
			t.Fatal(katatest.Failure{
				Want:  "Find returns at 160ms: the match at 150ms, and 10ms for the cancelled calls to hang up",
				Got:   fmt.Sprintf("it returned after %v, when the test's context ran out", f.took),
				Means: "a consumer that quits early without cancelling leaves the producers blocked: the workers wait to send results nobody receives, and Find's g.Wait waits for them (a goroutine leak). Cancel the pipeline's context before you stop reading",
				Hint:  6,
			})
		case len(s.started) == count:
			t.Fatal(katatest.Failure{
				Want:  "about 8 calls of f: Find stops the pipeline at the match",
				Got:   fmt.Sprintf("all %d calls made, Find returned after %v", count, f.took),
				Means: "the consumer drained the pipeline instead of stopping it: every item was fetched for a result already found. Cancel the context instead",
				Hint:  6,
			})
		}
		checkNothingLeft(t, f)
		if f.err != nil || f.v != square(5) {
			t.Fatal(katatest.Failure{
				Want:  fmt.Sprintf("%d and nil", square(5)),
				Got:   fmt.Sprintf("%d and %v", f.v, f.err),
				Means: "Find found the match but returned an error: the context.Canceled of the stages is the cancel Find asked for, not a failure",
				Hint:  6,
			})
		}
		if f.took != 150*time.Millisecond+hangUp || len(s.started) > 2*n+1 {
			t.Fatal(katatest.Failure{
				Want:  "Find returns at 160ms, with at most 9 calls of f made",
				Got:   fmt.Sprintf("after %v, %d calls", f.took, len(s.started)),
				Means: "the pipeline did not stop at the match: cancel, then wait for the stages",
				Hint:  6,
			})
		}
	})
}

// Task 4: no match means every item was looked at.
func TestFind_NoMatch(t *testing.T) {
	for _, c := range []struct {
		count int
		want  time.Duration
	}{{0, 0}, {1, 10 * time.Millisecond}, {20, 50 * time.Millisecond}, {2000, 2500 * time.Millisecond}} {
		t.Run(katatest.Count(c.count, "item"), func(t *testing.T) {
			katatest.Bubble(t, 6, func(t *testing.T) {
				w := newWork(t).every(10 * time.Millisecond)
				n := 4
				if c.count == 2000 {
					n = 8
				}
				f := awaitFind(t, startFind(newPipe(t).ctx, w, c.count, n, -1))
				if !errors.Is(f.err, ErrNotFound) || f.took != c.want || len(w.snap().started) != c.count {
					t.Fatal(katatest.Failure{
						Want:  fmt.Sprintf("ErrNotFound after %v, with f called for each of the %s", c.want, katatest.Count(c.count, "item")),
						Got:   fmt.Sprintf("%v after %v, %d calls", f.err, f.took, len(w.snap().started)),
						Means: "with no match, Find must look at every result and then say ErrNotFound",
						Hint:  6,
					})
				}
			})
		})
	}
}

// Task 4: the last item is the match, after thousands.
func TestFind_MatchOnTheLastOfThousands(t *testing.T) {
	katatest.Bubble(t, 6, func(t *testing.T) {
		w := newWork(t).every(10 * time.Millisecond)
		f := awaitFind(t, startFind(newPipe(t).ctx, w, 2000, 8, square(1999)))
		if f.err != nil || f.v != square(1999) || f.took != 2500*time.Millisecond {
			t.Fatal(katatest.Failure{
				Want:  fmt.Sprintf("%d and nil after 2.5s: 2000 calls of 10ms, 8 at a time", square(1999)),
				Got:   fmt.Sprintf("%d and %v after %v", f.v, f.err, f.took),
				Means: "Find must see every result until the match",
				Hint:  6,
			})
		}
		checkNothingLeft(t, f)
	})
}

// Task 4: an error on the second item, in the middle stage, is returned.
func TestFind_ErrorOnTheSecondItem(t *testing.T) {
	katatest.Bubble(t, 6, func(t *testing.T) {
		w := newWork(t)
		w.latency = func(i int) time.Duration {
			if i == 1 {
				return 50 * time.Millisecond
			}
			return 100 * time.Millisecond
		}
		w.fail[1] = errBoom
		f := awaitFind(t, startFind(newPipe(t).ctx, w, 100, 4, -1))
		if !errors.Is(f.err, errBoom) {
			t.Fatal(katatest.Failure{
				Want:  fmt.Sprintf("the error of item 1 (%v)", errBoom),
				Got:   fmt.Sprint(f.err),
				Means: "a middle-stage error was lost: after the range loop ends, the error is in g.Wait(), not in the closed channel",
				Hint:  6,
			})
		}
		if f.took != 50*time.Millisecond+hangUp {
			t.Fatal(katatest.Failure{
				Want:  "Find returns at 60ms: item 1 fails at 50ms, and the cancelled calls need 10ms to hang up",
				Got:   fmt.Sprintf("it returned after %v", f.took),
				Means: "the error did not stop the pipeline at once",
				Hint:  6,
			})
		}
		checkNothingLeft(t, f)
	})
}

// Task 4: the caller's cancel stops Find, and Find says so.
func TestFind_CallerCancels(t *testing.T) {
	katatest.Bubble(t, 6, func(t *testing.T) {
		w := newWork(t).gate(items(100)...)
		ctx, cancel := context.WithCancel(newPipe(t).ctx)
		defer cancel()
		res := startFind(ctx, w, 100, 4, -1)
		time.AfterFunc(30*time.Millisecond, cancel)
		f := awaitFind(t, res)
		if !errors.Is(f.err, context.Canceled) || f.took != 30*time.Millisecond+hangUp {
			means := "Find must return ctx's error when the caller gives up"
			if errors.Is(f.err, ErrNotFound) {
				means = "a cancelled search is not a search without a match: the stages return ctx.Err(), and Find returns g.Wait()'s error"
			}
			t.Fatal(katatest.Failure{
				Want:  "an error for which errors.Is(err, context.Canceled) holds, at 40ms: the cancel at 30ms, 10ms to hang up",
				Got:   fmt.Sprintf("%v after %v", f.err, f.took),
				Means: means,
				Hint:  6,
			})
		}
		checkNothingLeft(t, f)
	})
}

// Task 4: a context already done.
func TestFind_AlreadyCancelled(t *testing.T) {
	katatest.Bubble(t, 6, func(t *testing.T) {
		w := newWork(t).every(10 * time.Millisecond)
		ctx, cancel := context.WithCancel(newPipe(t).ctx)
		cancel()
		f := awaitFind(t, startFind(ctx, w, 100, 4, -1))
		if !errors.Is(f.err, context.Canceled) || f.took != 0 || len(w.snap().started) != 0 {
			t.Fatal(katatest.Failure{
				Want:  "an error for which errors.Is(err, context.Canceled) holds, at once, and no call of f",
				Got:   fmt.Sprintf("%v after %v, %d calls", f.err, f.took, len(w.snap().started)),
				Means: "Find must give up when its context is done before it starts",
				Hint:  6,
			})
		}
	})
}
