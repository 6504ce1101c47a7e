// Mistake: nothing is flushed before the first event.
//
// Every line is flushed, so the stream looks right once it runs. But the
// status and the headers wait for the first line: a client (or a proxy)
// that waits for the response to start may give up on a build that is
// slow to print anything. res.flushHeaders() in Node.
//
// Replaces: stream.go
// Kind: test failed
// Expect: the headers waited for the first line

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
		w.Header().Set("Content-Type", "application/x-ndjson")
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
			if err := rc.Flush(); err != nil {
				return
			}
		}
	})
}
