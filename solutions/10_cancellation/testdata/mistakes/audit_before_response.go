// Mistake: the audit write runs inside the handler, before it returns.
//
// Its context is right, but the client now waits for the audit log on
// every order: the response is as slow as the slowest of the two.
//
// Replaces: audit.go
// Expect: the client waited for the audit log

package cancellation

import (
	"context"
	"net/http"
	"sync"
	"time"
)

// An AuditLog stores one line per business event. Write may be slow; it
// returns ctx.Err() if ctx is done before the line is stored.
type AuditLog interface {
	Write(ctx context.Context, event string) error
}

// AuditTimeout is how long one audit write may take.
const AuditTimeout = 2 * time.Second

// AuditEvent is the line Orders writes for every order it places.
const AuditEvent = "order placed"

// Orders handles POST /orders. Set Audit before the first request; the rest
// of the zero value is ready to use. ServeHTTP may be called from many
// goroutines at once.
type Orders struct {
	Audit AuditLog

	writes sync.WaitGroup // counts audit writes in flight
}

// ServeHTTP places an order. It answers 201 Created at once, and then writes
// AuditEvent to the audit log in a goroutine of its own, so that the client
// does not wait for the audit log.
//
// The write must complete although net/http cancels the request's context
// as soon as ServeHTTP returns. It must still see the request's values (the
// audit log records the request ID), and it gets AuditTimeout of its own, so
// that a stuck audit log cannot hold it forever. Wait waits for it.
func (o *Orders) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.WriteHeader(http.StatusCreated)

	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), AuditTimeout)
	defer cancel()
	o.Audit.Write(ctx, AuditEvent) // a failed audit write cannot change the response any more
}

// Wait blocks until every audit write that ServeHTTP started has ended. A
// server calls it on shutdown, after it has stopped serving requests.
func (o *Orders) Wait() {
	o.writes.Wait()
}
