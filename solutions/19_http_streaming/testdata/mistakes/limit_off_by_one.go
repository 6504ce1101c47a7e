// Mistake: the limit refuses a body of exactly maxBytes.
//
// "Larger than the limit" became "the limit or larger": MaxBytesReader is
// given maxBytes-1. Only a body of exactly the limit notices.
//
// Replaces: upload.go
// Kind: test failed
// Expect: the limit is off by one

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
		if _, err := io.Copy(h, contextReader{ctx, http.MaxBytesReader(w, r.Body, maxBytes-1)}); err != nil {
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
