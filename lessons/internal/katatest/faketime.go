package katatest

import (
	"testing/synctest"
	"time"
)

// Elapsed runs f and returns how much time passed on the clock while it ran.
// Inside a testing/synctest bubble the clock is fake and only moves when
// every goroutine in the bubble is durably blocked, so the result is exact:
// two calls that sleep 200ms and 300ms take exactly 500ms one after another
// and exactly 300ms side by side, on any machine, under any load.
//
// Elapsed is meant for bubbles; outside one it measures wall-clock time,
// which no lesson asserts on.
func Elapsed(f func()) time.Duration {
	start := time.Now()
	f()
	return time.Since(start)
}

// Advance moves a bubble's fake clock forward by d and then waits until
// every other goroutine in the bubble is durably blocked again, so that the
// caller sees the effects of every timer that fired. It must be called from
// inside a synctest bubble.
//
// To test an exact deadline, advance to one nanosecond before it, check that
// nothing happened yet, then advance one more nanosecond and check that it
// did.
func Advance(d time.Duration) {
	time.Sleep(d)
	synctest.Wait()
}
