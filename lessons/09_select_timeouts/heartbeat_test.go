package selecttimeouts

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
)

// A pulse records the beats of a Heartbeat: when each one started. Each
// beat runs for takes.
type pulse struct {
	takes time.Duration
	start time.Time // the test's start; times below are since then

	mu      sync.Mutex      // protects the fields below
	beats   []time.Duration // when each beat started
	running int             // beats running now
	over    bool            // the test is over; see finish
}

func newPulse(takes time.Duration) *pulse {
	return &pulse{takes: takes, start: time.Now()}
}

func (p *pulse) beat() {
	p.mu.Lock()
	if p.over {
		// The test is over and still something beats: a ticker nobody
		// stopped. Ending the goroutine that beats lets the test end with
		// its message; the test has already failed.
		p.mu.Unlock()
		runtime.Goexit()
	}
	p.beats = append(p.beats, time.Since(p.start))
	p.running++
	p.mu.Unlock()
	if p.takes > 0 {
		time.Sleep(p.takes)
	}
	p.mu.Lock()
	p.running--
	p.mu.Unlock()
}

// snapshot returns the beats so far and how many are running.
func (p *pulse) snapshot() ([]time.Duration, int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]time.Duration(nil), p.beats...), p.running
}

// finish ends the test's interest in beats: any later beat ends the
// goroutine that runs it.
func (p *pulse) finish() {
	p.mu.Lock()
	p.over = true
	p.mu.Unlock()
}

// A stop is what the tests see when Heartbeat returns: when, and how many
// beats were running at that moment.
type stop struct {
	at      time.Duration
	running int
}

// startHeartbeat runs Heartbeat(ctx, every, p.beat) in a goroutine of its
// own. The channel receives a stop when Heartbeat returns.
func startHeartbeat(ctx context.Context, every time.Duration, p *pulse) <-chan stop {
	out := make(chan stop, 1)
	go func() {
		Heartbeat(ctx, every, p.beat)
		_, running := p.snapshot()
		out <- stop{at: time.Since(p.start), running: running}
	}()
	return out
}

// awaitHeartbeat waits up to an hour of fake time for Heartbeat to return,
// and ends the test if it never does.
func (j *judge) awaitHeartbeat(out <-chan stop) stop {
	j.t.Helper()
	select {
	case s := <-out:
		return s
	case <-time.After(time.Hour):
		j.fatal(katatest.Failure{
			Want:  "Heartbeat returns once its context is cancelled",
			Got:   "it had not returned an hour later",
			Means: "Heartbeat never noticed the cancellation: select on ctx.Done() beside the ticker",
			Hint:  6,
		})
	}
	return stop{}
}

// checkBeats fails the test unless the beats so far started exactly at want.
func (j *judge) checkBeats(p *pulse, now time.Duration, want []time.Duration, means string) bool {
	j.t.Helper()
	got, _ := p.snapshot()
	for i := range max(len(got), len(want)) {
		switch {
		case i >= len(got):
			j.fail(katatest.Failure{
				Want:  fmt.Sprintf("by %v, beat %d has started at %v", now, i+1, want[i]),
				Got:   fmt.Sprintf("%d beats, at %v", len(got), got),
				Means: "a beat is missing: beat on every tick of a time.Ticker",
				Hint:  6,
			})
			return false
		case i >= len(want):
			j.fail(katatest.Failure{
				Want:  fmt.Sprintf("by %v, exactly %d beats, at %v", now, len(want), want),
				Got:   fmt.Sprintf("an extra beat at %v (all beats: %v)", got[i], got),
				Means: "beats come too early or too often: the first beat is due one interval after the start",
				Hint:  6,
			})
			return false
		case got[i] != want[i]:
			j.fail(katatest.Failure{
				Want:  fmt.Sprintf("beat %d starts at %v", i+1, want[i]),
				Got:   fmt.Sprintf("it started at %v (all beats: %v)", got[i], got),
				Means: means,
				Hint:  6,
			})
			return false
		}
	}
	return true
}

const leakMeansHeartbeat = "Heartbeat left a goroutine behind. ticker.Stop does not close ticker.C: a goroutine " +
	"in `for range ticker.C` waits forever once the ticker is stopped. Receive from the ticker in a " +
	"select beside ctx.Done(), on Heartbeat's own goroutine"

// Task 4: beats come at every, 2*every, 3*every, to the nanosecond.
func TestHeartbeat_BeatsOnSchedule(t *testing.T) {
	katatest.Bubble(t, 6, func(t *testing.T) {
		j := newJudge(t, leakMeansHeartbeat, 6)
		p := newPulse(0)
		t.Cleanup(p.finish)
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		out := startHeartbeat(ctx, time.Second, p)

		katatest.Advance(time.Second - time.Nanosecond)
		if !j.checkBeats(p, time.Second-time.Nanosecond, nil, "") {
			return
		}
		katatest.Advance(time.Nanosecond)
		if !j.checkBeats(p, time.Second, []time.Duration{time.Second}, "") {
			return
		}
		katatest.Advance(2 * time.Second)
		if !j.checkBeats(p, 3*time.Second, []time.Duration{time.Second, 2 * time.Second, 3 * time.Second},
			"the beats are off schedule: beat on the ticks of one time.Ticker") {
			return
		}
		cancel()
		j.awaitHeartbeat(out)
		p.finish()
		j.noLeftovers()
	})
}

// Task 4: a beat that takes 300ms does not push the next ones back.
func TestHeartbeat_SlowBeatKeepsSchedule(t *testing.T) {
	katatest.Bubble(t, 6, func(t *testing.T) {
		j := newJudge(t, leakMeansHeartbeat, 6)
		p := newPulse(300 * time.Millisecond)
		t.Cleanup(p.finish)
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		out := startHeartbeat(ctx, time.Second, p)

		katatest.Advance(3100 * time.Millisecond)
		j.checkBeats(p, 3100*time.Millisecond, []time.Duration{time.Second, 2 * time.Second, 3 * time.Second},
			"the schedule drifts: each beat waited a fresh interval after the previous beat ended "+
				"(time.After or time.Sleep in the loop), so every beat's 300ms piles up. "+
				"A time.Ticker keeps a fixed schedule")

		// The third beat runs from 3s to 3.3s; the cancel comes in the middle.
		cancel()
		s := j.awaitHeartbeat(out)
		switch {
		case s.running > 0:
			j.fail(katatest.Failure{
				Want: "Heartbeat returns at 3.3s, when the beat it is running has returned",
				Got:  fmt.Sprintf("it returned at %v while a beat was still running", s.at),
				Means: "a beat was still running when Heartbeat returned: call beat on Heartbeat's own " +
					"goroutine (not with go beat()), so that no beat outlives it",
				Hint: 6,
			})
		case s.at != 3300*time.Millisecond:
			j.fail(katatest.Failure{
				Want:  "Heartbeat returns at 3.3s: it is cancelled at 3.1s, during a beat that ends at 3.3s",
				Got:   fmt.Sprintf("it returned at %v", s.at),
				Means: "once ctx is done, Heartbeat returns as soon as the running beat has returned",
				Hint:  6,
			})
		}
		p.finish()
		j.noLeftovers()
	})
}

// Task 4: cancelled, Heartbeat returns at once, and no beat comes after.
func TestHeartbeat_StopsWhenCancelled(t *testing.T) {
	katatest.Bubble(t, 6, func(t *testing.T) {
		j := newJudge(t, leakMeansHeartbeat, 6)
		p := newPulse(0)
		t.Cleanup(p.finish)
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		out := startHeartbeat(ctx, time.Second, p)

		katatest.Advance(2500 * time.Millisecond)
		if !j.checkBeats(p, 2500*time.Millisecond, []time.Duration{time.Second, 2 * time.Second},
			"the beats are off schedule: beat on the ticks of one time.Ticker") {
			return
		}
		cancel()
		if s := j.awaitHeartbeat(out); s.at != 2500*time.Millisecond {
			j.fail(katatest.Failure{
				Want: "Heartbeat returns at 2.5s, the instant its context is cancelled",
				Got:  fmt.Sprintf("it returned at %v, %v late", s.at, s.at-2500*time.Millisecond),
				Means: "Heartbeat noticed the cancellation only when it woke up for the next beat: " +
					"wait in a select on both ctx.Done() and the ticker, not in time.Sleep",
				Hint: 6,
			})
		}

		katatest.Advance(10 * time.Second)
		if beats, _ := p.snapshot(); len(beats) > 2 {
			j.fail(katatest.Failure{
				Want: "no beat after Heartbeat was cancelled at 2.5s",
				Got:  fmt.Sprintf("beats at %v", beats),
				Means: "beats kept coming after Heartbeat returned: the ticker was never stopped, and a " +
					"goroutine still ranges over it (time.Tick cannot be stopped at all). Stop the ticker " +
					"and beat only on Heartbeat's own goroutine",
				Hint: 6,
			})
		}
		p.finish()
		j.noLeftovers()
	})
}
