// Mistake: the audit goroutine counts itself with wg.Add once it runs.
//
// `go func() { o.writes.Add(1); defer o.writes.Done(); ... }()` counts the
// write only when its goroutine has started. A Wait that runs first sees a
// zero counter and returns while the write is still to come, so a server
// that shuts down loses the audit line. Usually the goroutine wins the race,
// and then nothing orders its Add before the Wait: -race reports the pair
// on every run of TestOrders_WaitCountsAStartedWrite, which calls Wait only
// once the write's goroutine is inside Write.
//
// Replaces: audit.go
// Kind: data race
// Expect: wg.Add inside the goroutine

package cancellation

import (
	"context"
	"net/http"
)

func (o *Orders) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.WriteHeader(http.StatusCreated)

	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), AuditTimeout)
	go func() {
		o.writes.Add(1)
		defer o.writes.Done()
		defer cancel()
		o.Audit.Write(ctx, AuditEvent) // a failed audit write cannot change the response any more
	}()
}
