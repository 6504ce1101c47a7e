// Mistake: the logging wrapper has a Flush that does nothing.
//
// Written to make "the stream needs a Flusher" go away. ResponseController
// finds this Flush first and calls it, so it never looks further, and
// nothing is ever flushed: the lines wait in the server's buffer.
//
// Replaces: logging.go
// Kind: test failed
// Expect: a Flush that does nothing swallows it

package httpstreaming

import "net/http"

type logWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

// Flush makes the wrapper an http.Flusher.
func (w *logWriter) Flush() {}
