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
		lw := &logWriter{ResponseWriter: w}
		next.ServeHTTP(lw, r)
		status := lw.status
		if status == 0 {
			status = http.StatusOK
		}
		log(Entry{Method: r.Method, Path: r.URL.Path, Status: status, Bytes: lw.bytes, Took: time.Since(start)})
	})
}

// A logWriter is the ResponseWriter that Logged hands to its handler: it
// notes the status and counts the bytes of one request.
type logWriter struct {
	http.ResponseWriter
	status int   // the first status set; 0 until then
	bytes  int64 // the bytes of body written
}

func (w *logWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *logWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(p)
	w.bytes += int64(n)
	return n, err
}

// Unwrap returns the ResponseWriter that w wraps, for
// http.ResponseController.
func (w *logWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
