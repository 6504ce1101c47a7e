// Mistake: every WriteHeader overwrites the status the wrapper noted.
//
// A handler that sets 201, writes, and then, on a late error, calls
// WriteHeader(500) has sent 201: net/http ignores the second call
// ("superfluous response.WriteHeader"). The wrapper logs 500, a failure the
// client never saw.
//
// Replaces: logging.go
// Kind: test failed
// Expect: the wrong status was logged

package httpstreaming

func (w *logWriter) WriteHeader(status int) {
	w.status = status
	w.ResponseWriter.WriteHeader(status)
}
