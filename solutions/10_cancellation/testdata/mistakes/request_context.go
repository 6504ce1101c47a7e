// Mistake: the background write uses the request's context.
//
// It works in a unit test that never cancels anything. Under net/http the
// request's context is cancelled as soon as ServeHTTP returns, so the
// audit write fails with "context canceled" on nearly every request.
//
// Replaces: audit.go
// Kind: test failed
// Expect: request context passed to background work

package cancellation

import (
	"context"
	"net/http"
)

func (o *Orders) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.WriteHeader(http.StatusCreated)

	ctx, cancel := context.WithTimeout(r.Context(), AuditTimeout)
	o.writes.Go(func() {
		defer cancel()
		o.Audit.Write(ctx, AuditEvent) // a failed audit write cannot change the response any more
	})
}
