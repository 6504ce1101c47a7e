package parallelcalls

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
	"github.com/gokatas/concurrency/tools/evidence"
)

func TestMain(m *testing.M) { katatest.Main(m) }

// This file holds the helpers that the lesson's tests share: a fake service
// that records what happened to its call, and a runner that times All or
// AllSettled in fake time.

// A service is a fake backend behind one Call. Its call answers its name
// after latency, or fails with err, or panics with panicWith. A service that
// is not stubborn stops when its context is done: it takes hangUp to close
// its connection and returns an error that wraps ctx.Err(). A stubborn
// service ignores its context and always runs for its whole latency.
//
// Every service has its own lock, held only for a moment and never across a
// sleep: services share nothing with each other, so nothing but the code
// under test orders what their goroutines do (and -race sees every
// unsynchronized access between them).
type service struct {
	name      string
	latency   time.Duration
	err       error
	panicWith any
	stubborn  bool
	hangUp    time.Duration
	start     time.Time // the test's start; the times below are since then

	mu          sync.Mutex      // protects the fields below
	calls       int             // how many times it was called
	running     bool            // called and not returned yet
	ctx         context.Context // the context of its last call
	cancelledAt time.Duration   // when it saw its context done; -1 if never
	returnedAt  time.Duration   // when its call returned; -1 if never
}

func newService(name string, latency time.Duration) *service {
	return &service{name: name, latency: latency, start: time.Now(), cancelledAt: -1, returnedAt: -1}
}

// failing returns a service that fails with err after latency.
func failing(name string, latency time.Duration, err error) *service {
	s := newService(name, latency)
	s.err = err
	return s
}

func (s *service) call(ctx context.Context) (string, error) {
	s.mu.Lock()
	s.calls++
	s.running = true
	s.ctx = ctx
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.running = false
		s.returnedAt = time.Since(s.start)
		s.mu.Unlock()
	}()

	if s.stubborn {
		time.Sleep(s.latency)
	} else {
		timer := time.NewTimer(s.latency)
		defer timer.Stop()
		select {
		case <-timer.C:
		case <-ctx.Done():
			s.mu.Lock()
			s.cancelledAt = time.Since(s.start)
			s.mu.Unlock()
			time.Sleep(s.hangUp)
			return "", fmt.Errorf("%s: %w", s.name, ctx.Err())
		}
	}
	if s.panicWith != nil {
		panic(s.panicWith)
	}
	if s.err != nil {
		return "", s.err
	}
	return s.name, nil
}

// state returns what the service recorded.
func (s *service) state() (calls int, ctx context.Context, cancelledAt, returnedAt time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls, s.ctx, s.cancelledAt, s.returnedAt
}

// calls returns the services' calls, in order.
func calls(services []*service) []Call {
	out := make([]Call, len(services))
	for i, s := range services {
		out[i] = s.call
	}
	return out
}

// names returns the services' names: the results of their calls.
func names(services []*service) []string {
	out := make([]string, len(services))
	for i, s := range services {
		out[i] = s.name
	}
	return out
}

// An outcome is what All or AllSettled returned, how long it took, and
// which services were still running when it returned.
type outcome struct {
	results []string
	err     error
	took    time.Duration
	running []string
}

// A fanOut is All or AllSettled.
type fanOut func(ctx context.Context, calls []Call) ([]string, error)

// patience is how long, in fake time, run waits for All or AllSettled:
// longer than any call of the tests, the slowest of which takes 500 hours.
const patience = 1000 * time.Hour

// run calls fn(ctx, calls of services) in a goroutine of its own and waits
// up to patience (fake time) for it to return; if it never does, the test
// ends. name is "All" or "AllSettled", for the messages; hint is the hint to
// read if it hangs.
func run(t *testing.T, name string, fn fanOut, ctx context.Context, hint int, services ...*service) outcome {
	t.Helper()
	done := make(chan outcome, 1)
	start := time.Now()
	cs := calls(services)
	go func() {
		results, err := fn(ctx, cs)
		o := outcome{results: results, err: err, took: time.Since(start)}
		for _, s := range services {
			s.mu.Lock()
			if s.running {
				o.running = append(o.running, s.name)
			}
			s.mu.Unlock()
		}
		done <- o
	}()
	alreadyDone := ctx.Err() != nil
	select {
	case o := <-done:
		if !alreadyDone && len(services) > 0 && noneCalled(services) {
			makeHint := 1
			if name == "AllSettled" {
				makeHint = 5
			}
			t.Fatal(katatest.Failure{
				Want:  name + " makes every call, each in a goroutine of its own",
				Got:   fmt.Sprintf("it returned %q, %v after %v without making any of the %s", head(o.results), o.err, o.took, katatest.Count(len(services), "call")),
				Means: name + " returned without calling anything: start every call, then wait for them",
				Hint:  makeHint,
			})
		}
		return o
	case <-time.After(patience):
		t.Fatal(evidence.Errorf(evidence.Deadlock, t.Name(), "%s", katatest.Failure{
			Want:  name + " returns once every call has returned",
			Got:   fmt.Sprintf("it had not returned %v (of fake time) later, although every call had", patience),
			Means: name + " waits for something that never comes: more results than there are calls, or a goroutine that cannot hand over its result",
			Hint:  hint,
		}))
	}
	return outcome{}
}

func noneCalled(services []*service) bool {
	for _, s := range services {
		if n, _, _, _ := s.state(); n > 0 {
			return false
		}
	}
	return true
}

// checkNoneRunning fails the test if some call was still running when name
// returned: a goroutine outlived the function that started it.
func checkNoneRunning(t *testing.T, name string, o outcome, hint int) bool {
	t.Helper()
	if len(o.running) == 0 {
		return true
	}
	t.Error(evidence.Errorf(evidence.Leak, t.Name(), "%s", katatest.Failure{
		Want: "no call is running when " + name + " returns",
		Got:  fmt.Sprintf("%s still running when %s returned after %v", strings.Join(o.running, " and "), name, o.took),
		Means: name + " returned without waiting for every call: the calls outlive it, and whatever they still do " +
			"races with the caller. Wait for the whole group (g.Wait), even after the first error",
		Hint: hint,
	}))
	return false
}

// checkCalledOnce fails the test unless every service was called exactly
// once.
func checkCalledOnce(t *testing.T, name string, services ...*service) bool {
	t.Helper()
	for _, s := range services {
		if n, _, _, _ := s.state(); n != 1 {
			t.Error(katatest.Failure{
				Want:  name + " makes every call exactly once",
				Got:   fmt.Sprintf("%s was called %s", s.name, katatest.Times(n)),
				Means: "every call must be made, and made once, each in a goroutine of its own",
				Hint:  1,
			})
			return false
		}
	}
	return true
}

// checkCancelledAt fails the test unless every service in services saw its
// context done exactly at at, the instant of event. parent is the context
// given to All: a call that received it unchanged was given the wrong one.
func checkCancelledAt(t *testing.T, at time.Duration, event string, parent context.Context, services ...*service) bool {
	t.Helper()
	for _, s := range services {
		calls, ctx, cancelledAt, returnedAt := s.state()
		if cancelledAt == at {
			continue
		}
		got := fmt.Sprintf("%s was never cancelled", s.name)
		switch {
		case calls == 0:
			got = fmt.Sprintf("%s was never called", s.name)
		case cancelledAt >= 0:
			got = fmt.Sprintf("%s saw its context done at %v", s.name, cancelledAt)
		case returnedAt >= 0:
			got = fmt.Sprintf("%s was never cancelled: it ran to its end at %v", s.name, returnedAt)
		}
		means := "the siblings were not cancelled: they go on working for a result nobody will use. " +
			"Use errgroup.WithContext and give every call the context it returns: the group cancels it at the first error"
		if parent != nil && ctx == parent {
			means = "the calls got All's own ctx, not the context from errgroup.WithContext: the group cancels only " +
				"its own context at the first error, so the siblings were not cancelled and ran on. Pass the group's context to every call"
		}
		t.Error(katatest.Failure{
			Want:  fmt.Sprintf("every other call sees its context done at %v, the instant %s", at, event),
			Got:   got,
			Means: means,
			Hint:  3,
		})
		return false
	}
	return true
}

// checkNotCancelled fails the test if some service saw its context done.
func checkNotCancelled(t *testing.T, services ...*service) bool {
	t.Helper()
	for _, s := range services {
		if _, _, cancelledAt, _ := s.state(); cancelledAt >= 0 {
			t.Error(katatest.Failure{
				Want: "AllSettled lets every call settle: a failure cancels nobody",
				Got:  fmt.Sprintf("%s saw its context done at %v, and did not finish its work", s.name, cancelledAt),
				Means: "AllSettled cancelled the other calls at the first error: that is All (Promise.all). " +
					"AllSettled must let every call run to its end, and give every call the caller's ctx",
				Hint: 5,
			})
			return false
		}
	}
	return true
}

// firstWrong returns the first index at which got differs from want, and
// -1 if they are equal.
func firstWrong(got, want []string) int {
	for i := range want {
		if i >= len(got) || got[i] != want[i] {
			return i
		}
	}
	if len(got) != len(want) {
		return len(want)
	}
	return -1
}

// checkResults fails the test unless got equals want, naming the first
// wrong element.
func checkResults(t *testing.T, got, want []string) bool {
	t.Helper()
	i := firstWrong(got, want)
	if i < 0 {
		return true
	}
	f := katatest.Failure{
		Want: fmt.Sprintf("%d results, result i being what call i returned", len(want)),
		Means: "results out of order, or lost: result i must be what calls[i] returned, whichever call finished first. " +
			"Give each goroutine its own index of a slice made before the calls start",
		Hint: 2,
	}
	switch {
	case got == nil:
		f.Got = "nil"
	case i >= len(got) || i >= len(want):
		f.Got = fmt.Sprintf("%d results", len(got))
	default:
		f.Got = fmt.Sprintf("result %d is %q, want %q (the results begin %q)", i, got[i], want[i], head(got))
	}
	t.Error(f)
	return false
}

func head(s []string) []string {
	if len(s) > 5 {
		return s[:5]
	}
	return s
}

// checkTook fails the test unless o.took is want; what explains the time
// the test expects.
func checkTook(t *testing.T, name string, o outcome, want time.Duration, what string, hint int) bool {
	t.Helper()
	if o.took == want {
		return true
	}
	t.Error(katatest.Failure{
		Want:  fmt.Sprintf("%s returns after exactly %v: %s", name, want, what),
		Got:   fmt.Sprintf("it returned after %v", o.took),
		Means: name + " did not return at the instant the calls decide",
		Hint:  hint,
	})
	return false
}

// unwrapAll returns the errors that err joins, or err alone.
func unwrapAll(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	if err == nil {
		return nil
	}
	return []error{err}
}

// errorList words errs for a message.
func errorList(errs []error) string {
	words := make([]string, len(errs))
	for i, e := range errs {
		words[i] = fmt.Sprintf("%q", e)
	}
	return "[" + strings.Join(words, ", ") + "]"
}
