// Mistake: the body is hashed with no size limit.
//
// Streaming keeps the memory small, so it can seem that a limit is no
// longer needed. But a client can still send a body of any size and keep
// a handler busy hashing it for as long as it likes: the limit is about
// the work and the bandwidth, not only the memory.
//
// Replaces: upload.go
// Kind: test failed
// Expect: no size limit

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
