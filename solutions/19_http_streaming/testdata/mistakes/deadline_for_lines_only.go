// Mistake: the deadline is moved for each line, but not for the end.
//
// Every line gets its LineTimeout. When the build ends long after its last
// line, Stream returns at once; the server then writes the end of the
// chunked response under the last line's deadline, long passed, and the
// client sees the stream break off after its last line.
//
// Replaces: stream.go
// Kind: test failed
// Expect: the end of the stream did not reach the client

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
		if err := rc.Flush(); err != nil {
			return
		}
		enc := json.NewEncoder(w)
		for {
			ev, ok := feed.Next(ctx)
			if !ok {
				return
			}
			if err := rc.SetWriteDeadline(time.Now().Add(LineTimeout)); err != nil {
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
