package httpstreaming

import (
	"encoding/json"
	"net/http"
	"time"
)

// Stream returns the handler of GET /builds/{id}/log: it streams the
// build's events from feed as NDJSON (newline-delimited JSON), one line per
// event, with the Content-Type "application/x-ndjson" and status 200.
//
// The client sees each line the moment its event is ready, not when the
// stream ends: Stream flushes the response after every line, and once at
// the start, so that the client has the status and the headers before the
// first event. It flushes through http.NewResponseController(w), which
// finds the Flush of a ResponseWriter that a middleware has wrapped, as
// long as the wrapper has an Unwrap method.
//
// Stream asks feed for the next event with r.Context(): when the client
// goes away, the context is done, Next returns false at that instant, and
// Stream returns at once, without asking for another event.
//
// A build log may stream for longer than the server's WriteTimeout, which
// counts from the start of the request: each time Next returns, Stream
// moves the connection's write deadline to LineTimeout from then
// (ResponseController.SetWriteDeadline). A line, or the end of the stream,
// that the client does not take within LineTimeout fails. The stream ends
// when the feed has no more events.
//
// Stream returns at the first error of a write, a flush or a deadline,
// and asks the feed for nothing more: a failed write means the client is
// gone or stalled, and a ResponseWriter that cannot flush or move its
// deadline (the controller returns http.ErrNotSupported) cannot carry a
// stream. (While Stream waits in Next it writes nothing, so it sees no
// error until Next returns.)
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
