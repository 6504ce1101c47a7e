// Mistake: the background write has no deadline of its own.
//
// context.WithoutCancel drops the request's deadline along with its
// cancellation. With no new deadline, a stuck audit log holds the goroutine,
// and a graceful shutdown that waits for it, forever.
//
// Replaces: audit.go
// Kind: test failed
// Expect: no deadline of its own

package cancellation

import (
	"context"
	"net/http"
)

func (o *Orders) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.WriteHeader(http.StatusCreated)

	ctx := context.WithoutCancel(r.Context())
	o.writes.Go(func() {
		o.Audit.Write(ctx, AuditEvent) // a failed audit write cannot change the response any more
	})
}
