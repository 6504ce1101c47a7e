// Mistake: the logging wrapper passes Flush on itself, and has no Unwrap.
//
// It is the pre-Go 1.20 way: a Flush method that asserts http.Flusher on
// the ResponseWriter underneath. The lines stream. But SetWriteDeadline
// has no such method on the wrapper and no Unwrap to follow, so Stream
// cannot move the deadline, and the server's WriteTimeout cuts the stream.
//
// Replaces: logging.go
// Removes: logWriter.Unwrap
// Kind: test failed
// Expect: the wrapper hides SetWriteDeadline

package httpstreaming

import "net/http"

type logWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

// Flush flushes the ResponseWriter underneath, if it can.
func (w *logWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}
