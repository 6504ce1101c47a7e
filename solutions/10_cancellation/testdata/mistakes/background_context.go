// Mistake: the background write starts from context.Background().
//
// It is no longer cancelled with the request, but it has lost everything
// the request carried: the request ID, the user, the trace. The audit
// line cannot be tied to the request it is about.
//
// Replaces: audit.go
// Kind: test failed
// Expect: lost the request's values

package cancellation

import (
	"context"
	"net/http"
)

func (o *Orders) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.WriteHeader(http.StatusCreated)

	ctx, cancel := context.WithTimeout(context.Background(), AuditTimeout)
	o.writes.Go(func() {
		defer cancel()
		o.Audit.Write(ctx, AuditEvent) // a failed audit write cannot change the response any more
	})
}
