package httpstreaming

import (
	"net/http"
	"time"
)

// Logged wraps next with an access log: for every request, once next has
// returned, it calls log once with the request's method and path, the
// status the client got, the bytes of body next wrote and how long next
// took. Requests are served at the same time, each in a goroutine of its
// own, so log may be called from several goroutines at once (the caller's
// log is safe for that), and what Logged records about one request must
// belong to that request alone.
//
// To see the status and the bytes, Logged hands next a ResponseWriter of
// its own that wraps w. The status is the first one next sets with
// WriteHeader (a second WriteHeader changes nothing for the client), or
// 200 if next writes body without one, or writes nothing at all.
//
// The wrapper hides nothing of w: it has an Unwrap method that returns w,
// so that http.NewResponseController finds w's Flush and SetWriteDeadline
// through it, and a handler behind Logged streams exactly as it would
// without it.
func Logged(next http.Handler, log func(Entry)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		// TODO: hand next a ResponseWriter of your own, made here for this
		// request, that wraps w: it notes the first status and counts the
		// bytes written, passes everything on to w, and has an Unwrap
		// method that returns w. Log its status (200 if none) and bytes.
		next.ServeHTTP(w, r)
		log(Entry{Method: r.Method, Path: r.URL.Path, Took: time.Since(start)})
	})
}
