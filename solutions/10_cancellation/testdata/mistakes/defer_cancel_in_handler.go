// Mistake: the handler cancels the background write's context on its way out.
//
// The context is right, WithoutCancel plus a timeout, but `defer cancel()`
// sits in ServeHTTP, out of habit. It runs when the handler returns, which
// is right after the goroutine starts: the write is cancelled at once.
//
// Replaces: audit.go
// Kind: test failed
// Expect: a `defer cancel()` in ServeHTTP

package cancellation

import (
	"context"
	"net/http"
)

func (o *Orders) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.WriteHeader(http.StatusCreated)

	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), AuditTimeout)
	defer cancel()
	o.writes.Go(func() {
		o.Audit.Write(ctx, AuditEvent) // a failed audit write cannot change the response any more
	})
}
