// Mistake: the status is noted only in WriteHeader.
//
// Most handlers never call WriteHeader: their first Write sends 200 by
// itself. The wrapper then logs status 0, and a dashboard of statuses
// shows none of the successful requests.
//
// Replaces: logging.go
// Kind: test failed
// Expect: no default status

package httpstreaming

import (
	"net/http"
	"time"
)

func Logged(next http.Handler, log func(Entry)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		lw := &logWriter{ResponseWriter: w}
		next.ServeHTTP(lw, r)
		log(Entry{Method: r.Method, Path: r.URL.Path, Status: lw.status, Bytes: lw.bytes, Took: time.Since(start)})
	})
}

func (w *logWriter) Write(p []byte) (int, error) {
	n, err := w.ResponseWriter.Write(p)
	w.bytes += int64(n)
	return n, err
}
