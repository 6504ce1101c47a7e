package cancellation

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
)

// A fakeAudit is an AuditLog whose writes take latency, or end early with
// ctx.Err() when their context is done. It records every write.
type fakeAudit struct {
	begin   time.Time
	latency time.Duration

	mu     sync.Mutex // protects writes and the fields of every write
	writes []*write
}

// A write is one call of Write.
type write struct {
	ctx       context.Context // the context it was given
	event     string
	requestID string        // the request ID its context carried
	startedAt time.Duration // since the test began
	deadline  time.Duration // its context's deadline, since the test began; -1 for none
	endedAt   time.Duration // -1 while it runs
	err       error
}

func newFakeAudit(latency time.Duration) *fakeAudit {
	return &fakeAudit{begin: time.Now(), latency: latency}
}

func (a *fakeAudit) Write(ctx context.Context, event string) error {
	w := &write{ctx: ctx, event: event, requestID: RequestID(ctx), startedAt: time.Since(a.begin),
		deadline: -1, endedAt: -1}
	if d, ok := ctx.Deadline(); ok {
		w.deadline = d.Sub(a.begin)
	}
	a.mu.Lock()
	a.writes = append(a.writes, w)
	a.mu.Unlock()

	timer := time.NewTimer(a.latency)
	defer timer.Stop()
	var err error
	select {
	case <-timer.C:
	case <-ctx.Done():
		err = ctx.Err()
	}
	a.mu.Lock()
	w.endedAt, w.err = time.Since(a.begin), err
	a.mu.Unlock()
	return err
}

// only returns a copy of the one write made so far, or fails the test.
func (a *fakeAudit) only(t *testing.T) write {
	t.Helper()
	a.mu.Lock()
	defer a.mu.Unlock()
	switch len(a.writes) {
	case 0:
		t.Fatal("one request must make exactly one audit write, counted so that Wait waits for it; " +
			"none had started when Wait returned")
	case 1:
	default:
		t.Fatalf("one request must make exactly one audit write; it made %d", len(a.writes))
	}
	return *a.writes[0]
}

// placeOrder serves one POST /orders under a request context that carries
// the request ID "req-42", and cancels that context as soon as ServeHTTP
// returns, as net/http does. Then it waits for o.Wait, up to an hour. It
// returns how long ServeHTTP took, the status, and when Wait returned
// (-1 if it had not after an hour).
func placeOrder(o *Orders) (took time.Duration, status int, waited time.Duration) {
	return placeOrderWithin(o, 0)
}

// placeOrderWithin is placeOrder under a request context that also has a
// deadline of timeout from now, as a server's request timeout gives it; 0
// means no deadline.
func placeOrderWithin(o *Orders, timeout time.Duration) (took time.Duration, status int, waited time.Duration) {
	begin := time.Now()
	ctx, cancel := context.WithCancel(WithRequestID(context.Background(), "req-42"))
	if timeout > 0 {
		var cancelTimeout context.CancelFunc
		ctx, cancelTimeout = context.WithTimeout(ctx, timeout)
		cancelRequest := cancel
		cancel = func() { cancelTimeout(); cancelRequest() }
	}
	req := httptest.NewRequestWithContext(ctx, http.MethodPost, "/orders", nil)
	rec := httptest.NewRecorder()
	took = katatest.Elapsed(func() { o.ServeHTTP(rec, req) })
	cancel() // the request is over

	out := start(begin, func() error { o.Wait(); return nil })
	if res, ok := await(out); ok {
		return took, rec.Code, res.at
	}
	return took, rec.Code, -1
}

// Task 3: the client does not wait for the audit log; Wait does.
func TestOrders_AnswersBeforeTheAudit(t *testing.T) {
	katatest.Bubble(t, 4, func(t *testing.T) {
		log := newFakeAudit(ms(50))
		took, status, waited := placeOrder(&Orders{Audit: log})
		if status != http.StatusCreated || took != 0 {
			t.Error(katatest.Failure{
				Want:  "ServeHTTP answers 201 Created at once (0s of fake time)",
				Got:   fmt.Sprintf("%d after %v", status, took),
				Means: "the client waited for the audit log: write it in a goroutine of its own, after the response",
				Hint:  4,
			})
		}
		places, err := katatest.AddInsideGo(".")
		if err != nil {
			t.Fatalf("reading the lesson's source: %v", err)
		}
		if len(places) > 0 {
			t.Error(katatest.Failure{
				Want: "the audit write is counted before its goroutine starts: o.writes.Go(...), or Add before the go statement",
				Got:  fmt.Sprintf("wg.Add inside the goroutine at %v", places),
				Means: "wg.Add inside the goroutine: a Wait that runs before the goroutine does sees a zero counter " +
					"and returns while the audit write is still to come, so a server that shuts down loses it. " +
					"(go vet reports this too.) Start the write with o.writes.Go",
				Hint: 4,
			})
			return
		}
		w := log.only(t)
		if w.event != AuditEvent || w.endedAt < 0 || waited < w.endedAt {
			t.Error(katatest.Failure{
				Want: fmt.Sprintf("one audit write of %q, ended by the time Wait returns", AuditEvent),
				Got: fmt.Sprintf("write %q ended %s, Wait returned %s", w.event,
					instant(w.endedAt, "never"), instant(waited, "not within an hour")),
				Means: "Wait returned before the audit write ended: count the write's goroutine so that Wait can wait for it",
				Hint:  4,
			})
		}
	})
}

// Task 3: Wait waits for a write whose goroutine has already started.
//
// The test lets fake time pass between ServeHTTP and Wait, so the write's
// goroutine has run (and is inside Write) when Wait is called. A goroutine
// that counts itself with wg.Add once it runs then wins its race with Wait
// every time: Wait waits, but nothing orders that Add before it, and -race
// reports the Add and the Wait as a data race on every run, where
// TestOrders_AnswersBeforeTheAudit's source check explains it.
func TestOrders_WaitCountsAStartedWrite(t *testing.T) {
	katatest.Bubble(t, 4, func(t *testing.T) {
		log := newFakeAudit(ms(50))
		o := &Orders{Audit: log}
		begin := time.Now()
		ctx, cancel := context.WithCancel(WithRequestID(context.Background(), "req-42"))
		req := httptest.NewRequestWithContext(ctx, http.MethodPost, "/orders", nil)
		o.ServeHTTP(httptest.NewRecorder(), req)
		cancel()           // the request is over
		time.Sleep(ms(10)) // the write's goroutine runs, and waits in Write
		out := start(begin, func() error { o.Wait(); return nil })
		res, ok := await(out)
		waited := res.at
		if !ok {
			waited = -1
		}
		w := log.only(t)
		if w.endedAt < 0 || waited < w.endedAt {
			t.Error(katatest.Failure{
				Want: "Wait, called at 10ms while the audit write is in progress, returns once the write has ended",
				Got: fmt.Sprintf("the write ended %s, Wait returned %s",
					instant(w.endedAt, "never"), instant(waited, "not within an hour")),
				Means: "Wait returned before the audit write ended: count the write's goroutine before it starts " +
					"(o.writes.Go), so that Wait can wait for it",
				Hint: 4,
			})
		}
	})
}

// Task 3: the audit write completes although the request context is
// cancelled the moment the handler returns.
func TestOrders_AuditOutlivesTheRequest(t *testing.T) {
	katatest.Bubble(t, 4, func(t *testing.T) {
		log := newFakeAudit(ms(50))
		placeOrder(&Orders{Audit: log})
		w := log.only(t)
		if w.err != nil || w.endedAt != ms(50) {
			t.Error(katatest.Failure{
				Want: "the audit write completes at 50ms, with no error",
				Got:  fmt.Sprintf("it ended at %v with %s", w.endedAt, errText(w.err)),
				Means: "the audit write was cancelled when ServeHTTP returned: request context passed to background " +
					"work (net/http cancels r.Context() as soon as ServeHTTP returns; context.WithoutCancel(r.Context()) " +
					"is not cancelled with it), or a `defer cancel()` in ServeHTTP that cancels the write's context " +
					"on the way out: cancel it in the goroutine, after the write",
				Hint: 4,
			})
		}
	})
}

// Task 3: the audit write still sees the request's values.
func TestOrders_AuditKeepsRequestValues(t *testing.T) {
	katatest.Bubble(t, 4, func(t *testing.T) {
		log := newFakeAudit(ms(50))
		placeOrder(&Orders{Audit: log})
		if w := log.only(t); w.requestID != "req-42" {
			t.Error(katatest.Failure{
				Want: `the audit write's context carries the request ID "req-42"`,
				Got:  fmt.Sprintf("request ID %q", w.requestID),
				Means: "the background work lost the request's values: context.Background() starts from nothing. " +
					"context.WithoutCancel(r.Context()) keeps the values and drops only the cancellation",
				Hint: 4,
			})
		}
	})
}

// Task 3: a stuck audit log cannot hold the write forever.
func TestOrders_AuditHasItsOwnDeadline(t *testing.T) {
	katatest.Bubble(t, 4, func(t *testing.T) {
		log := newFakeAudit(time.Minute) // the audit log is stuck
		_, _, waited := placeOrder(&Orders{Audit: log})
		w := log.only(t)
		if w.deadline != AuditTimeout || w.endedAt != AuditTimeout || !errors.Is(w.err, context.DeadlineExceeded) || waited != AuditTimeout {
			t.Error(katatest.Failure{
				Want: fmt.Sprintf("the write's context has a deadline %v after the request; the write ends then "+
					"with context.DeadlineExceeded, and Wait returns at %v", AuditTimeout, AuditTimeout),
				Got: fmt.Sprintf("deadline: %s; write ended at %v with %s, Wait returned %s",
					instant(w.deadline, "none"), w.endedAt, errText(w.err), instant(waited, "not within an hour")),
				Means: "the audit write has no deadline of its own: WithoutCancel drops the request's deadline along " +
					"with its cancellation, so a stuck audit log would hold the goroutine (and Wait) forever. " +
					"Add one with context.WithTimeout(context.WithoutCancel(...), AuditTimeout)",
				Hint: 4,
			})
		}
	})
}

// Task 3: once Wait has returned, the write's context is released: its
// cancel was called, so its timer and its place in the parent are freed.
func TestOrders_AuditContextIsReleased(t *testing.T) {
	katatest.Bubble(t, 4, func(t *testing.T) {
		log := newFakeAudit(ms(50))
		_, _, waited := placeOrder(&Orders{Audit: log})
		w := log.only(t)
		// placeOrder returns at the instant Wait returned: no fake time has
		// passed since, so the write's 2s deadline cannot have ended it.
		if err := w.ctx.Err(); w.err != nil || err == nil {
			f := katatest.Failure{
				Want: "the audit write completes at 50ms, and by the time Wait returns its context is cancelled " +
					"(the cancel from context.WithTimeout was called)",
				Got: fmt.Sprintf("the write ended at %v with %s; when Wait returned (%s) its context's Err() was %s",
					w.endedAt, errText(w.err), instant(waited, "not within an hour"), errText(err)),
				Means: "the cancel from WithTimeout was dropped (`ctx, _ :=`): the context and its timer live on " +
					"until the deadline, long after the write. go vet reports it as a lost cancel. " +
					"Call cancel in the goroutine, after the write (`defer cancel()` inside it)",
				Hint: 4,
			}
			if w.err != nil && w.endedAt < ms(50) {
				f.Means = "the write never got to complete: its context was done before the write's 50ms were over " +
					"(request context passed to background work, see TestOrders_AuditOutlivesTheRequest). " +
					"Give it a context of its own first (context.WithoutCancel and a timeout), then call its cancel after the write"
			}
			t.Error(f)
		}
	})
}

// Task 3: the write's deadline is its own, not the request's: a request
// with a short timeout still gives the write AuditTimeout from its start.
func TestOrders_AuditDeadlineIsItsOwn(t *testing.T) {
	katatest.Bubble(t, 4, func(t *testing.T) {
		log := newFakeAudit(ms(150))
		placeOrderWithin(&Orders{Audit: log}, ms(100)) // the request may take 100ms
		w := log.only(t)
		if w.deadline < 0 || w.deadline-w.startedAt != AuditTimeout || w.err != nil || w.endedAt != ms(150) {
			t.Error(katatest.Failure{
				Want: fmt.Sprintf("a request with a 100ms timeout: the audit write starts at 0s with a deadline "+
					"of its own, %v later, and completes at 150ms", AuditTimeout),
				Got: fmt.Sprintf("write started at %v, deadline %s; it ended at %v with %s", w.startedAt,
					instant(w.deadline, "none"), w.endedAt, errText(w.err)),
				Means: "deadline copied from the request: the background write inherits the request's timeout, " +
					"which is about the client, not the audit log. Start from context.WithoutCancel(r.Context()), " +
					"which drops the request's deadline, and add AuditTimeout with context.WithTimeout",
				Hint: 4,
			})
		}
	})
}
