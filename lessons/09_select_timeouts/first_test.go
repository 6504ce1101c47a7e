package selecttimeouts

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
	"github.com/gokatas/concurrency/tools/evidence"
)

// A replica is a fake backend: one copy of a search service. It answers
// after latency (or fails with err, if set). If its context is done first,
// it takes hangUp to close its connection and returns the context's error,
// unless it is stubborn: a stubborn replica ignores its context and always
// answers after latency.
type replica struct {
	name     string
	latency  time.Duration
	err      error
	hangUp   time.Duration
	stubborn bool
	start    time.Time // the test's start; times below are since then

	mu          sync.Mutex    // protects the fields below
	called      bool          // First has called it
	running     bool          // called and not returned yet
	cancelledAt time.Duration // when it saw its context done; -1 if never
	finishedAt  time.Duration // when it answered without being cancelled; -1 if never
}

func newReplica(name string, latency time.Duration, err error) *replica {
	return &replica{name: name, latency: latency, err: err, start: time.Now(), cancelledAt: -1, finishedAt: -1}
}

func (r *replica) call(ctx context.Context) (string, error) {
	r.mu.Lock()
	r.called, r.running = true, true
	r.mu.Unlock()
	defer func() {
		r.mu.Lock()
		r.running = false
		r.mu.Unlock()
	}()

	timer := time.NewTimer(r.latency)
	defer timer.Stop()
	done := ctx.Done()
	if r.stubborn {
		done = nil
	}
	select {
	case <-timer.C:
		r.mu.Lock()
		r.finishedAt = time.Since(r.start)
		r.mu.Unlock()
		if r.err != nil {
			return "", r.err
		}
		return "results from " + r.name, nil
	case <-done:
		r.mu.Lock()
		r.cancelledAt = time.Since(r.start)
		r.mu.Unlock()
		time.Sleep(r.hangUp)
		return "", ctx.Err()
	}
}

// startFirst calls First(ctx, replicas...) in a goroutine of its own. The
// channel receives the outcome when First returns, with the names of the
// replicas that were still running at that moment.
func startFirst(ctx context.Context, replicas ...*replica) <-chan outcome {
	backends := make([]Call, len(replicas))
	for i, r := range replicas {
		backends[i] = r.call
	}
	out := make(chan outcome, 1)
	start := time.Now()
	go func() {
		body, err := First(ctx, backends...)
		o := outcome{body: body, err: err, took: time.Since(start)}
		for _, r := range replicas {
			r.mu.Lock()
			if r.running {
				o.running = append(o.running, r.name)
			}
			r.mu.Unlock()
		}
		out <- o
	}()
	return out
}

// awaitFirst waits up to an hour of fake time for First to return, and ends
// the test if it never does.
func (j *judge) awaitFirst(out <-chan outcome) outcome {
	j.t.Helper()
	select {
	case o := <-out:
		return o
	case <-time.After(time.Hour):
		j.fatal(katatest.Failure{
			Want: "First returns once a backend has succeeded, or all have failed",
			Got:  "it had not returned an hour later: it is blocked forever",
			Means: "First waits for something that never comes: more answers than there are backends, " +
				"or a WaitGroup whose backends can no longer hand over their answers",
			Hint: 5,
		})
	}
	return outcome{}
}

// checkLosersCancelled fails the test unless every replica but the winner
// (if any) saw its context done exactly at won, the instant the race ended,
// which event describes.
func (j *judge) checkLosersCancelled(won time.Duration, event, winner string, replicas ...*replica) {
	j.t.Helper()
	synctest.Wait() // let every replica that was cancelled at this instant notice it
	for _, r := range replicas {
		if r.name == winner || r.stubborn {
			continue // a stubborn replica does not say whether it was cancelled
		}
		r.mu.Lock()
		called, cancelledAt, finishedAt := r.called, r.cancelledAt, r.finishedAt
		r.mu.Unlock()
		if !called {
			j.fail(katatest.Failure{
				Want:  "First calls every backend",
				Got:   fmt.Sprintf("%s was never called", r.name),
				Means: "First must ask every replica, each in a goroutine of its own",
				Hint:  4,
			})
			return
		}
		if cancelledAt == won || (finishedAt >= 0 && finishedAt < won) {
			continue // cancelled in time, or failed before the race ended
		}
		got := fmt.Sprintf("%s was never cancelled", r.name)
		switch {
		case finishedAt >= 0:
			got = fmt.Sprintf("%s was never cancelled: it ran to its end at %v", r.name, finishedAt)
		case cancelledAt >= 0:
			got = fmt.Sprintf("%s was cancelled at %v", r.name, cancelledAt)
		}
		j.fail(katatest.Failure{
			Want: fmt.Sprintf("every loser is cancelled at %v, the instant %s", won, event),
			Got:  got,
			Means: "the losers were not cancelled: they go on working (and loading the replicas) for an " +
				"answer nobody will read. Give the backends a context and cancel it when the race is won",
			Hint: 5,
		})
		return
	}
}

const leakMeansFirst = "a goroutine of First is blocked forever: every backend's goroutine must be able " +
	"to hand over its answer and end, even after the race is over"

// Task 3: the fastest replica wins, and the others are cancelled at that instant.
func TestFirst_FastestWins(t *testing.T) {
	katatest.Bubble(t, 4, func(t *testing.T) {
		j := newJudge(t, leakMeansFirst, 5)
		replicas := []*replica{
			newReplica("eu", 300*time.Millisecond, nil),
			newReplica("us", 100*time.Millisecond, nil),
			newReplica("asia", 200*time.Millisecond, nil),
		}
		o := j.awaitFirst(startFirst(t.Context(), replicas...))
		if o.body != "results from us" || o.err != nil {
			j.fatal(katatest.Failure{
				Want:  `"results from us", nil: us answers first, at 100ms (eu takes 300ms, asia 200ms)`,
				Got:   fmt.Sprintf("%q, %v after %v", o.body, o.err, o.took),
				Means: "the fastest replica must win: ask all of them at once and take the first answer",
				Hint:  4,
			})
		}
		if o.took != 100*time.Millisecond {
			j.fail(katatest.Failure{
				Want:  "First returns at 100ms, when us answered",
				Got:   fmt.Sprintf("it returned after %v", o.took),
				Means: "First waited for the slowest replicas: the losers were not cancelled, so waiting for them took their full latency",
				Hint:  5,
			})
		}
		j.checkLosersCancelled(100*time.Millisecond, "us won", "us", replicas...)
		j.noLeftovers()
	})
}

// Task 3: First returns only when the losers have returned.
func TestFirst_WaitsForLosers(t *testing.T) {
	katatest.Bubble(t, 5, func(t *testing.T) {
		j := newJudge(t, leakMeansFirst, 5)
		replicas := []*replica{
			newReplica("eu", 300*time.Millisecond, nil),
			newReplica("us", 100*time.Millisecond, nil),
			newReplica("asia", 200*time.Millisecond, nil),
		}
		// A cancelled replica needs 10ms to close its connection.
		for _, r := range replicas {
			r.hangUp = 10 * time.Millisecond
		}
		o := j.awaitFirst(startFirst(t.Context(), replicas...))
		if o.body != "results from us" || o.err != nil {
			j.fatal(katatest.Failure{
				Want:  `"results from us", nil: us answers first, at 100ms`,
				Got:   fmt.Sprintf("%q, %v after %v", o.body, o.err, o.took),
				Means: "the fastest replica must win",
				Hint:  4,
			})
		}
		if len(o.running) > 0 {
			j.t.Error(evidence.Errorf(evidence.Leak, t.Name(), "%s", strings.TrimPrefix(katatest.Failure{
				Want: "no backend is running when First returns",
				Got:  fmt.Sprintf("%s still running when First returned after %v", strings.Join(o.running, " and "), o.took),
				Means: "goroutine leak: First returned without waiting for the losers: they outlive the call, " +
					"and whatever they still do races with the caller. Cancel them, then wait for them (a sync.WaitGroup)",
				Hint: 5,
			}.String(), "\n")))
		} else if o.took != 110*time.Millisecond {
			j.fail(katatest.Failure{
				Want:  "First returns at 110ms: us answers at 100ms, the cancelled losers need 10ms to hang up",
				Got:   fmt.Sprintf("it returned after %v", o.took),
				Means: "the losers were not cancelled at once, or First did not wait for them",
				Hint:  5,
			})
		}
		j.checkLosersCancelled(100*time.Millisecond, "us won", "us", replicas...)
		j.noLeftovers()
	})
}

// Task 3: a replica that fails does not win the race.
func TestFirst_FailureDoesNotWin(t *testing.T) {
	katatest.Bubble(t, 4, func(t *testing.T) {
		j := newJudge(t, leakMeansFirst, 5)
		errBroken := errors.New("eu: index corrupted")
		replicas := []*replica{
			newReplica("eu", 50*time.Millisecond, errBroken),
			newReplica("us", 150*time.Millisecond, nil),
			newReplica("asia", 400*time.Millisecond, nil),
		}
		o := j.awaitFirst(startFirst(t.Context(), replicas...))
		switch {
		case errors.Is(o.err, errBroken):
			j.fatal(katatest.Failure{
				Want: `"results from us", nil at 150ms: eu fails at 50ms, but us succeeds at 150ms`,
				Got:  fmt.Sprintf("%q, %v after %v", o.body, o.err, o.took),
				Means: "a failure won the race: First returned the first answer even though it was an error, " +
					"while another replica would have succeeded. A failed backend is no answer; wait for the " +
					"others (this is Promise.any, not Promise.race)",
				Hint: 4,
			})
		case o.body != "results from us" || o.err != nil || o.took != 150*time.Millisecond:
			j.fatal(katatest.Failure{
				Want:  `"results from us", nil at 150ms: eu fails at 50ms, but us succeeds at 150ms`,
				Got:   fmt.Sprintf("%q, %v after %v", o.body, o.err, o.took),
				Means: "the first success must win, as soon as it arrives",
				Hint:  4,
			})
		}
		j.checkLosersCancelled(150*time.Millisecond, "us won", "us", replicas...)
		j.noLeftovers()
	})
}

// Task 3: when every replica fails, every error is returned.
func TestFirst_AllFail(t *testing.T) {
	katatest.Bubble(t, 4, func(t *testing.T) {
		j := newJudge(t, leakMeansFirst, 5)
		errs := []error{
			errors.New("eu: index corrupted"),
			errors.New("us: overloaded"),
			errors.New("asia: disk full"),
		}
		replicas := []*replica{
			newReplica("eu", 10*time.Millisecond, errs[0]),
			newReplica("us", 20*time.Millisecond, errs[1]),
			newReplica("asia", 30*time.Millisecond, errs[2]),
		}
		o := j.awaitFirst(startFirst(t.Context(), replicas...))
		if errors.Is(o.err, ErrNoBackends) {
			j.fatal(katatest.Failure{
				Want:  `"" and an error that joins the three failures, at 30ms`,
				Got:   fmt.Sprintf("%q, %v after %v", o.body, o.err, o.took),
				Means: "First was given three backends but returned ErrNoBackends: it asked none of them",
				Hint:  4,
			})
		}
		if o.err == nil || o.body != "" {
			j.fatal(katatest.Failure{
				Want:  `"" and an error when every replica fails`,
				Got:   fmt.Sprintf("%q, %v", o.body, o.err),
				Means: "First reported success although nobody succeeded",
				Hint:  4,
			})
		}
		for _, e := range errs {
			if !errors.Is(o.err, e) {
				j.fail(katatest.Failure{
					Want:  fmt.Sprintf("errors.Is(err, %q) for each of the three failures", e),
					Got:   fmt.Sprintf("err = %v", o.err),
					Means: "errors were lost: when everybody fails, the caller needs every reason. Collect them and join them (errors.Join)",
					Hint:  4,
				})
				break
			}
		}
		if o.took != 30*time.Millisecond {
			j.fail(katatest.Failure{
				Want:  "First returns at 30ms, when the last replica failed",
				Got:   fmt.Sprintf("it returned after %v", o.took),
				Means: "First must wait until every replica has answered before it gives up",
				Hint:  4,
			})
		}
		j.noLeftovers()
	})
}

// Task 3: when the caller gives up, First cancels every replica, waits for
// them, and returns the caller's error.
//
// The caller's context expires at 50ms. eu and us listen to their context
// and need 10ms to hang up; asia ignores its context and succeeds at 55ms,
// after the caller gave up. First returns at 60ms, when the last replica has
// returned, with context.DeadlineExceeded: asia's late success does not
// count, because ctx was done before any backend succeeded.
func TestFirst_ParentCancelled(t *testing.T) {
	katatest.Bubble(t, 5, func(t *testing.T) {
		j := newJudge(t, leakMeansFirst, 5)
		ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
		defer cancel()
		replicas := []*replica{
			newReplica("eu", 200*time.Millisecond, nil),
			newReplica("us", 100*time.Millisecond, nil),
			newReplica("asia", 55*time.Millisecond, nil),
		}
		replicas[0].hangUp, replicas[1].hangUp = 10*time.Millisecond, 10*time.Millisecond
		replicas[2].stubborn = true
		o := j.awaitFirst(startFirst(ctx, replicas...))
		const want = "First returns at 60ms with an error that is context.DeadlineExceeded: the caller's context " +
			"expires at 50ms, the cancelled replicas need 10ms to hang up"
		switch {
		case errors.Is(o.err, ErrNoBackends):
			j.fatal(katatest.Failure{
				Want:  want,
				Got:   fmt.Sprintf("%q, %v after %v", o.body, o.err, o.took),
				Means: "First was given three backends but returned ErrNoBackends: it asked none of them",
				Hint:  4,
			})
		case len(o.running) > 0:
			j.t.Error(evidence.Errorf(evidence.Leak, t.Name(), "%s", strings.TrimPrefix(katatest.Failure{
				Want: "no backend is running when First returns, also when the caller gave up",
				Got:  fmt.Sprintf("%s still running when First returned after %v", strings.Join(o.running, " and "), o.took),
				Means: "goroutine leak: First returned without waiting for the backends: they outlive the call. " +
					"On every way out, the caller giving up included, cancel them, then wait (the same stop() " +
					"as on a success)",
				Hint: 5,
			}.String(), "\n")))
		case o.err == nil:
			j.fail(katatest.Failure{
				Want: want,
				Got:  fmt.Sprintf("%q, nil after %v", o.body, o.took),
				Means: "First returned a success that came after the caller had given up: when ctx is done " +
					"before any backend succeeds, the caller's error is the answer. Wait for ctx.Done() " +
					"in the same select as the answers",
				Hint: 5,
			})
		case !errors.Is(o.err, context.DeadlineExceeded) || o.took != 60*time.Millisecond:
			j.fail(katatest.Failure{
				Want: want,
				Got:  fmt.Sprintf("%q, %v after %v", o.body, o.err, o.took),
				Means: "the caller's cancellation did not reach the replicas: derive their context from ctx, " +
					"so that the caller giving up stops them all, then wait for them",
				Hint: 5,
			})
		}
		j.checkLosersCancelled(50*time.Millisecond, "the caller's context expired", "", replicas...)
		j.noLeftovers()
	})
}

// Task 3: no backends, no race.
func TestFirst_NoBackends(t *testing.T) {
	katatest.Bubble(t, 4, func(t *testing.T) {
		j := newJudge(t, leakMeansFirst, 4)
		o := j.awaitFirst(startFirst(t.Context()))
		if o.err != ErrNoBackends || o.took != 0 {
			j.fail(katatest.Failure{
				Want:  "First() with no backends returns ErrNoBackends at once",
				Got:   fmt.Sprintf("%q, %v after %v", o.body, o.err, o.took),
				Means: "with nobody to ask, there is no answer to wait for",
				Hint:  4,
			})
		}
	})
}
