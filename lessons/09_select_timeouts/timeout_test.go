package selecttimeouts

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
	"github.com/gokatas/concurrency/tools/evidence"
)

// A slowCall is a fake Call, a price lookup that answers after latency. It
// stops as soon as its context is done, unless it is stubborn: a stubborn
// call ignores its context and always runs for the whole latency.
type slowCall struct {
	latency  time.Duration
	answer   string
	err      error
	stubborn bool
	start    time.Time // the test's start; times below are since then

	mu          sync.Mutex    // protects the fields below
	cancelledAt time.Duration // when the call saw its context done; -1 if never
	returnedAt  time.Duration // when the call returned; -1 while it runs
}

func newSlowCall(latency time.Duration, answer string, err error) *slowCall {
	return &slowCall{latency: latency, answer: answer, err: err, start: time.Now(), cancelledAt: -1, returnedAt: -1}
}

func (c *slowCall) call(ctx context.Context) (string, error) {
	defer func() {
		c.mu.Lock()
		c.returnedAt = time.Since(c.start)
		c.mu.Unlock()
	}()
	if c.stubborn {
		time.Sleep(c.latency)
		return c.answer, c.err
	}
	timer := time.NewTimer(c.latency)
	defer timer.Stop()
	select {
	case <-timer.C:
		return c.answer, c.err
	case <-ctx.Done():
		c.mu.Lock()
		c.cancelledAt = time.Since(c.start)
		c.mu.Unlock()
		return "", ctx.Err()
	}
}

func (c *slowCall) cancelled() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.cancelledAt
}

// An outcome is what a call of WithTimeout or First returned, and how long
// it took in fake time.
type outcome struct {
	body    string
	err     error
	took    time.Duration
	running []string // First only: the backends still running when it returned
}

// startWithTimeout calls WithTimeout(d, call) in a goroutine of its own.
// The channel receives the outcome when WithTimeout returns.
func startWithTimeout(d time.Duration, call Call) <-chan outcome {
	out := make(chan outcome, 1)
	start := time.Now()
	go func() {
		body, err := WithTimeout(d, call)
		out <- outcome{body: body, err: err, took: time.Since(start)}
	}()
	return out
}

// awaitWithTimeout waits up to an hour of fake time for WithTimeout to
// return, and ends the test if it never does.
func (j *judge) awaitWithTimeout(out <-chan outcome, d time.Duration) outcome {
	j.t.Helper()
	select {
	case o := <-out:
		return o
	case <-time.After(time.Hour):
		j.fatal(katatest.Failure{
			Want: fmt.Sprintf("WithTimeout returns by its deadline of %v", d),
			Got:  "it had not returned an hour later: it is blocked forever",
			Means: "WithTimeout is blocked forever after the deadline. A timer drained twice does this: once " +
				"`case <-timer.C` has taken the timer's only value, `if !timer.Stop() { <-timer.C }` waits for a " +
				"second value that never comes. Since Go 1.23, `defer timer.Stop()` is all the cleanup a timer needs",
			Hint: 3,
		})
	}
	return outcome{}
}

const leakMeansWithTimeout = "something WithTimeout started is blocked forever. Once WithTimeout and the call " +
	"have returned, nothing may be left waiting: neither WithTimeout itself nor the goroutine that ran the call"

// Task 1: an answer that comes before the deadline is returned at once.
func TestWithTimeout_ReturnsTheResult(t *testing.T) {
	katatest.Bubble(t, 1, func(t *testing.T) {
		j := newJudge(t, leakMeansWithTimeout, 2)
		errUnavailable := errors.New("price service unavailable")
		for _, c := range []*slowCall{
			newSlowCall(40*time.Millisecond, "price: 12 EUR", nil),
			newSlowCall(40*time.Millisecond, "", errUnavailable),
		} {
			o := j.awaitWithTimeout(startWithTimeout(100*time.Millisecond, c.call), 100*time.Millisecond)
			if o.body != c.answer || o.err != c.err {
				j.fail(katatest.Failure{
					Want:  fmt.Sprintf("WithTimeout(100ms, call) returns what the call returned at 40ms: %q, %v", c.answer, c.err),
					Got:   fmt.Sprintf("%q, %v", o.body, o.err),
					Means: "an answer that comes before the deadline is the result, error included",
					Hint:  1,
				})
			}
			if o.took != 40*time.Millisecond {
				j.fail(katatest.Failure{
					Want:  "WithTimeout returns at 40ms, as soon as the call answered",
					Got:   fmt.Sprintf("it returned after %v", o.took),
					Means: "WithTimeout must not wait for the deadline once the answer is there: select on both, the first one wins",
					Hint:  1,
				})
			}
		}
	})
}

// Task 1: the deadline is exact: nothing at 1ns before it, ErrTimeout at it.
func TestWithTimeout_ExactDeadline(t *testing.T) {
	katatest.Bubble(t, 1, func(t *testing.T) {
		j := newJudge(t, leakMeansWithTimeout, 2)
		const d = 100 * time.Millisecond
		c := newSlowCall(time.Second, "price: 12 EUR", nil)
		out := startWithTimeout(d, c.call)

		katatest.Advance(d - time.Nanosecond)
		select {
		case o := <-out:
			j.fatal(katatest.Failure{
				Want:  "WithTimeout has not returned 1ns before its 100ms deadline (the call needs 1s)",
				Got:   fmt.Sprintf("it returned %q, %v after %v", o.body, o.err, o.took),
				Means: "WithTimeout gave up before the deadline",
				Hint:  1,
			})
		default:
		}

		katatest.Advance(time.Nanosecond)
		select {
		case o := <-out:
			if o.err != ErrTimeout || o.body != "" {
				j.fail(katatest.Failure{
					Want:  `"", ErrTimeout at the deadline`,
					Got:   fmt.Sprintf("%q, %v", o.body, o.err),
					Means: "when the deadline wins, WithTimeout returns the sentinel ErrTimeout, so callers can test for it with errors.Is",
					Hint:  1,
				})
			}
		default:
			// Not back at the deadline: find out when it does come back.
			o := j.awaitWithTimeout(out, d)
			j.fail(katatest.Failure{
				Want:  "WithTimeout returns ErrTimeout exactly at its 100ms deadline (the call needs 1s)",
				Got:   fmt.Sprintf("it returned %q, %v after %v", o.body, o.err, o.took),
				Means: "nothing ended the wait at the deadline: WithTimeout waited for the call alone. Select on the call's answer and a timer",
				Hint:  1,
			})
		}
	})
}

// Task 2: at the deadline, the call is told to stop.
func TestWithTimeout_StopsTheCall(t *testing.T) {
	katatest.Bubble(t, 2, func(t *testing.T) {
		j := newJudge(t, leakMeansWithTimeout, 2)
		const d = 100 * time.Millisecond
		c := newSlowCall(time.Second, "price: 12 EUR", nil)
		out := startWithTimeout(d, c.call)

		katatest.Advance(d - time.Nanosecond)
		if at := c.cancelled(); at >= 0 {
			j.fail(katatest.Failure{
				Want:  "the call's context is still live 1ns before the 100ms deadline",
				Got:   fmt.Sprintf("it was cancelled at %v", at),
				Means: "the call was cancelled before its deadline",
				Hint:  2,
			})
		}
		katatest.Advance(time.Nanosecond)
		var returned *outcome
		select {
		case o := <-out:
			returned = &o
		default:
		}
		if at := c.cancelled(); at != d && returned == nil {
			j.fail(katatest.Failure{
				Want: "at the 100ms deadline WithTimeout gives up and cancels the call's context",
				Got:  "at 100ms WithTimeout was still waiting, and the call's context was still live",
				Means: "nothing ended the wait at the deadline, so nothing cancelled the call either: select on " +
					"the call's answer and a timer, and cancel the call's context when the timer wins",
				Hint: 1,
			})
		} else if at != d {
			j.t.Error(evidence.Errorf(evidence.Leak, t.Name(), "%s", strings.TrimPrefix(katatest.Failure{
				Want: "the call sees its context done exactly at the 100ms deadline",
				Got:  "at 100ms its context was still live, and the call's goroutine was still running",
				Means: "goroutine leak: the call kept running after the timeout: WithTimeout gave up on it but never " +
					"cancelled its context, so its goroutine outlives WithTimeout and the work goes on for nobody " +
					"(in Node.js, the losing promise of Promise.race runs on too)",
				Hint: 2,
			}.String(), "\n")))
		}
		if returned == nil {
			j.awaitWithTimeout(out, d)
		}
		j.noLeftovers()
	})
}

// Task 2: a call that ignores its context does not hold WithTimeout, and its
// goroutine still ends once the call returns.
func TestWithTimeout_StubbornCall(t *testing.T) {
	katatest.Bubble(t, 2, func(t *testing.T) {
		j := newJudge(t, leakMeansWithTimeout, 2)
		const d = 100 * time.Millisecond
		c := newSlowCall(time.Second, "price: 12 EUR", nil)
		c.stubborn = true
		o := j.awaitWithTimeout(startWithTimeout(d, c.call), d)
		if o.err != ErrTimeout || o.took != d {
			j.fail(katatest.Failure{
				Want: `"", ErrTimeout at 100ms, though the call ignores its context and runs for 1s`,
				Got:  fmt.Sprintf("%q, %v after %v", o.body, o.err, o.took),
				Means: "WithTimeout waited for a call that ignores its context: the deadline must not depend on " +
					"the call's cooperation. Run the call in a goroutine and select on its answer and a timer",
				Hint: 1,
			})
		}
		j.noLeftovers()
	})
}
