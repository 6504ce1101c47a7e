// Mistake: the logging wrapper has no Unwrap method.
//
// The wrapper embeds http.ResponseWriter, so it has Header, Write and
// WriteHeader, and every ordinary handler works behind it. But Flush is
// not part of that interface: http.NewResponseController cannot reach the
// Flush underneath, Stream's flush fails, and behind the middleware a
// stream ends after its headers, or comes all at once.
//
// Replaces: logging.go
// Removes: logWriter.Unwrap
// Kind: test failed
// Expect: the wrapper hides Flush

package httpstreaming

import "net/http"

type logWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}
