// Mistake: the write deadline is cleared, once and for all.
//
// SetWriteDeadline(time.Time{}) means "no deadline": the stream may run
// for hours, which is what was wanted. But a client that stops reading
// without closing its connection now holds the handler, its goroutine and
// its build, until it closes: the write waits for ever.
//
// Replaces: stream.go
// Kind: test failed
// Expect: a client that stops reading held the handler

package httpstreaming

import (
	"encoding/json"
	"net/http"
	"time"
)

func Stream(feed Feed) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		rc := http.NewResponseController(w)
		if err := rc.SetWriteDeadline(time.Time{}); err != nil {
			return
		}
		w.Header().Set("Content-Type", "application/x-ndjson")
		w.WriteHeader(http.StatusOK)
		if err := rc.Flush(); err != nil {
			return
		}
		enc := json.NewEncoder(w)
		for {
			ev, ok := feed.Next(ctx)
			if !ok {
				return
			}
			if err := enc.Encode(ev); err != nil {
				return
			}
			if err := rc.Flush(); err != nil {
				return
			}
		}
	})
}
