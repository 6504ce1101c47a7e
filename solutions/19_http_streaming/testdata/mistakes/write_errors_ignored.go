// Mistake: Stream ignores the errors of its writes and flushes.
//
// res.write in Node does not throw either. Here a failed write means the
// connection is gone or stalled past its deadline, and every later write
// fails too: Stream goes on pulling the whole build through a dead
// connection instead of stopping.
//
// Replaces: stream.go
// Kind: test failed
// Expect: Stream went on after a write failed

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
		w.WriteHeader(http.StatusOK)
		rc.Flush()
		enc := json.NewEncoder(w)
		for {
			ev, ok := feed.Next(ctx)
			rc.SetWriteDeadline(time.Now().Add(LineTimeout))
			if !ok {
				return
			}
			enc.Encode(ev)
			rc.Flush()
		}
	})
}
