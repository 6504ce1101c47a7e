// Mistake: the limit checks the Content-Length header, not the body.
//
// This is how a limit often starts in Node (req.headers["content-length"]).
// It refuses an honest large upload at once, without reading it. But a
// body sent in chunks has no Content-Length (r.ContentLength is -1), and
// it goes through whatever its size.
//
// Replaces: upload.go
// Kind: test failed
// Expect: the limit trusted Content-Length

package httpstreaming

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"net/http"
)

func Upload(maxBytes int64) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		if r.ContentLength > maxBytes {
			http.Error(w, "the body is larger than the limit", http.StatusRequestEntityTooLarge)
			return
		}
		h := sha256.New()
		if _, err := io.Copy(h, contextReader{ctx, r.Body}); err != nil {
			var tooLarge *http.MaxBytesError
			switch {
			case errors.As(err, &tooLarge):
				http.Error(w, "the body is larger than the limit", http.StatusRequestEntityTooLarge)
			case ctx.Err() != nil:
			default:
				http.Error(w, "the body could not be read", http.StatusBadRequest)
			}
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintf(w, "%x\n", h.Sum(nil))
	})
}
