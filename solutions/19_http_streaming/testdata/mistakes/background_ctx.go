// Mistake: the feed is asked with context.Background(), not r.Context().
//
// The stream itself works. But when the client goes away nothing tells the
// build: it goes on producing the next event, and Stream notices only when
// writing it fails, a whole event later, or never if the writes still
// succeed. In Node: no req.on("close") handler.
//
// Replaces: stream.go
// Kind: test failed
// Expect: work went on after the client went away

package httpstreaming

import (
	"context"
	"encoding/json"
	"net/http"
	"time"
)

func Stream(feed Feed) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rc := http.NewResponseController(w)
		w.Header().Set("Content-Type", "application/x-ndjson")
		w.WriteHeader(http.StatusOK)
		if err := rc.Flush(); err != nil {
			return
		}
		enc := json.NewEncoder(w)
		for {
			ev, ok := feed.Next(context.Background())
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
