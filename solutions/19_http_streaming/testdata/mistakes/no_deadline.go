// Mistake: Stream never moves the write deadline.
//
// Without a WriteTimeout on the server the stream works. With one, the
// deadline counts from the start of the request, and the first write after
// it fails: the server cuts the stream in the middle, and the client sees
// it break off.
//
// Replaces: stream.go
// Kind: test failed
// Expect: the server's WriteTimeout cut the stream

package httpstreaming

import (
	"encoding/json"
	"net/http"
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
			if err := enc.Encode(ev); err != nil {
				return
			}
			if err := rc.Flush(); err != nil {
				return
			}
		}
	})
}
