// Mistake: the cancel from context.WithTimeout is dropped.
//
// `ctx, _ := context.WithTimeout(...)` gives the write the right context,
// so every write completes. But nothing cancels it: the context and its
// timer live on until the deadline, two seconds after the write is done,
// for every request. go vet reports it as a lost cancel.
//
// Replaces: audit.go
// Kind: test failed
// Expect: the cancel from WithTimeout was dropped
// Expect: TestOrders_AuditContextIsReleased

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

// WithoutCancel + WithTimeout, but the cancel is dropped: the context lives
// (and its timer runs) until the deadline even though the write is done.
func (o *Orders) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.WriteHeader(http.StatusCreated)
	ctx, _ := context.WithTimeout(context.WithoutCancel(r.Context()), AuditTimeout)
	o.writes.Go(func() {
		o.Audit.Write(ctx, AuditEvent)
	})
}
