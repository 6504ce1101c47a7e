// Mistake: the background write copies the request's deadline.
//
// It drops the request's cancellation with WithoutCancel, but then puts
// the request's deadline back, and uses AuditTimeout only when there is
// none. A request with a short timeout then cuts the audit write short,
// although the write no longer has anything to do with the client.
//
// Replaces: audit.go
// Kind: test failed
// Expect: deadline copied from the request
// Expect: TestOrders_AuditDeadlineIsItsOwn

package cancellation

import (
	"context"
	"net/http"
	"sync"
)

type Orders struct {
	Audit AuditLog

	writes sync.WaitGroup
}

// Deadline computed from the request's own deadline if it has one, else 2s;
// WithoutCancel drops cancellation but the handler copies the request's deadline.
func (o *Orders) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.WriteHeader(http.StatusCreated)
	base := context.WithoutCancel(r.Context())
	var ctx context.Context
	var cancel context.CancelFunc
	if dl, ok := r.Context().Deadline(); ok {
		ctx, cancel = context.WithDeadline(base, dl)
	} else {
		ctx, cancel = context.WithTimeout(base, AuditTimeout)
	}
	o.writes.Go(func() {
		defer cancel()
		o.Audit.Write(ctx, AuditEvent)
	})
}
