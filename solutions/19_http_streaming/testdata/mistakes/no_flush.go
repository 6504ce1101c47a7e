// Mistake: the lines are written but never flushed.
//
// Each Encode writes its line into the server's buffer, which sends
// nothing until it holds a few KiB or the handler returns. A build log of
// short lines reaches the client all at once, at the end: like a Node
// handler that collects its output and calls res.end(all) once.
//
// Replaces: stream.go
// Kind: test failed
// Expect: a response buffered until the end

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
		}
	})
}
