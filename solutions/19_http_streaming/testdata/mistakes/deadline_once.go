// Mistake: the write deadline is moved once, at the start.
//
// It lifts the server's WriteTimeout, and a short stream gets through.
// But the one deadline is LineTimeout after the start, and a stream that
// runs longer is cut there.
//
// Replaces: stream.go
// Kind: test failed
// Expect: the write deadline was set once

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
		if err := rc.SetWriteDeadline(time.Now().Add(LineTimeout)); err != nil {
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
