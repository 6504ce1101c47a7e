// Mistake: Stream flushes through a type assertion to http.Flusher.
//
// w.(http.Flusher) is how flushing was written before
// http.ResponseController. It works on the server's own ResponseWriter,
// but a middleware's wrapper that has only Unwrap fails the assertion,
// and then nothing is flushed: behind the middleware, the lines come at the
// end.
//
// Replaces: stream.go
// Kind: test failed
// Expect: a type assertion to http.Flusher

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
		flush := func() {
			if f, ok := w.(http.Flusher); ok {
				f.Flush()
			}
		}
		w.Header().Set("Content-Type", "application/x-ndjson")
		w.WriteHeader(http.StatusOK)
		flush()
		enc := json.NewEncoder(w)
		for {
			ev, ok := feed.Next(ctx)
			if err := rc.SetWriteDeadline(time.Now().Add(LineTimeout)); err != nil {
				return
			}
			if !ok {
				return
			}
			if err := enc.Encode(ev); err != nil {
				return
			}
			flush()
		}
	})
}
