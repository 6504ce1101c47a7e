// Mistake: every read error is answered with 500.
//
// http.MaxBytesReader does stop the body, but the handler treats its error
// like any other: http.Error(w, err.Error(), 500). The client is told the
// server broke, when it was the client that sent too much, and a retry
// will fail the same way.
//
// Replaces: upload.go
// Kind: test failed
// Expect: a 500 instead of 413

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
		h := sha256.New()
		if _, err := io.Copy(h, contextReader{ctx, http.MaxBytesReader(w, r.Body, maxBytes)}); err != nil {
			var tooLarge *http.MaxBytesError
			if ctx.Err() != nil && !errors.As(err, &tooLarge) {
				return
			}
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintf(w, "%x\n", h.Sum(nil))
	})
}
