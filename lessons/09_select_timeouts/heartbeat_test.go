package selecttimeouts

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
	"github.com/gokatas/concurrency/tools/evidence"
)

// A pulse records the beats of a Heartbeat: when each one started. Each
// beat runs for takes, except the first, which runs for first if it is set.
type pulse struct {
	takes time.Duration
	first time.Duration
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
	takes := p.takes
	if len(p.beats) == 1 && p.first > 0 {
		takes = p.first
	}
	p.mu.Unlock()
	if takes > 0 {
		time.Sleep(takes)
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
		case i >= len(got) && len(got) == 0:
			j.fail(katatest.Failure{
				Want:  fmt.Sprintf("by %v, beat %d has started at %v", now, i+1, want[i]),
				Got:   "no beat at all yet",
				Means: "nothing was beaten yet: Heartbeat has not called beat once. Call it on every tick of a time.Ticker",
				Hint:  6,
			})
			return false
		case i >= len(got):
			j.fail(katatest.Failure{
				Want:  fmt.Sprintf("by %v, beat %d has started at %v", now, i+1, want[i]),
				Got:   fmt.Sprintf("%s, at %v", katatest.Count(len(got), "beat"), got),
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
		onSchedule := j.checkBeats(p, 3100*time.Millisecond, []time.Duration{time.Second, 2 * time.Second, 3 * time.Second},
			"the schedule drifts: each beat waited a fresh interval after the previous beat ended "+
				"(time.After or time.Sleep in the loop), so every beat's 300ms piles up. "+
				"A time.Ticker keeps a fixed schedule")

		// The third beat runs from 3s to 3.3s; the cancel comes in the middle.
		cancel()
		s := j.awaitHeartbeat(out)
		switch {
		case !onSchedule:
			// Off schedule, no beat need be running at 3.1s: when Heartbeat
			// returns says nothing more.
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
			j.t.Error(evidence.Errorf(evidence.Leak, j.t.Name(), "%s", strings.TrimPrefix(katatest.Failure{
				Want: "no beat after Heartbeat was cancelled at 2.5s",
				Got:  fmt.Sprintf("beats at %v", beats),
				Means: "goroutine leak: beats kept coming after Heartbeat returned: the ticker was never " +
					"stopped, and a goroutine Heartbeat started still ranges over it (time.Tick cannot be " +
					"stopped at all). Stop the ticker and beat only on Heartbeat's own goroutine",
				Hint: 6,
			}.String(), "\n")))
		}
		p.finish()
		j.noLeftovers()
	})
}

// Task 4: a beat longer than the period does not make Heartbeat beat the
// ticks it missed.
//
// The first beat, at 1h, takes 2.5h; the ticks at 2h and 3h come while it
// runs. A time.Ticker drops them (it may still deliver one tick when the
// beat ends, at 3.5h), and the beats go on at 4h and 5h. A timer re-armed to
// start + n*every after each beat fires at once for every slot it missed:
// two beats at 3.5h, one for 2h and one for 3h. The period is an hour, as
// long as any a real heartbeat uses: fake time makes it free.
func TestHeartbeat_LongBeatDropsMissedTicks(t *testing.T) {
	katatest.Bubble(t, 6, func(t *testing.T) {
		j := newJudge(t, leakMeansHeartbeat, 6)
		const h = time.Hour
		p := newPulse(0)
		p.first = 2*h + 30*time.Minute
		t.Cleanup(p.finish)
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		out := startHeartbeat(ctx, h, p)

		katatest.Advance(5*h + 30*time.Minute)
		got, _ := p.snapshot()
		cancel()
		j.awaitHeartbeat(out)
		p.finish()
		late := []time.Duration{h, 3*h + 30*time.Minute, 4 * h, 5 * h} // the ticker's one late tick, at 3.5h
		dropped := []time.Duration{h, 4 * h, 5 * h}                    // or none
		if !equalBeats(got, late) && !equalBeats(got, dropped) {
			means := "after a beat longer than the period, the beats must go on at the next ticks: " +
				"beat on the ticks of one time.Ticker"
			switch {
			case len(got) == 0:
				means = "nothing was beaten yet: Heartbeat has not called beat once. Call it on every tick of a time.Ticker"
			case countAt(got, 3*h+30*time.Minute) > 1:
				means = "the ticks missed during the long beat were beaten in a burst when it ended: a timer " +
					"re-armed to start + n*every fires at once for every slot already past. If a beat takes " +
					"longer than every, the ticks it missed are dropped, as a time.Ticker drops them"
			}
			j.fail(katatest.Failure{
				Want:  fmt.Sprintf("every 1h, the first beat taking 2.5h: beats at %v (or without the late one at 3.5h)", late),
				Got:   fmt.Sprintf("beats at %v", got),
				Means: means,
				Hint:  6,
			})
		}
		j.noLeftovers()
	})
}

func equalBeats(a, b []time.Duration) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func countAt(beats []time.Duration, at time.Duration) int {
	n := 0
	for _, b := range beats {
		if b == at {
			n++
		}
	}
	return n
}
