// Mistake: the audit write runs inside the handler, before it returns.
//
// Its context is right, but the client now waits for the audit log on
// every order: the response is as slow as the slowest of the two.
//
// Replaces: audit.go
// Kind: test failed
// Expect: the client waited for the audit log

package cancellation

import (
	"context"
	"net/http"
)

func (o *Orders) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.WriteHeader(http.StatusCreated)

	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), AuditTimeout)
	defer cancel()
	o.Audit.Write(ctx, AuditEvent) // a failed audit write cannot change the response any more
}
