// Mistake: the body is read whole with io.ReadAll, then hashed.
//
// It is the shortest code that gives the right hash, and for the small
// bodies of a quick try it looks fine. But every upload now sits in
// memory whole, and twice over while the buffer grows: a few large uploads
// at once and the server runs out of memory. The limit does not help, it
// only caps how much each one may take.
//
// Replaces: upload.go
// Kind: test failed
// Expect: Upload buffered the whole body in memory

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
		data, err := io.ReadAll(contextReader{ctx, http.MaxBytesReader(w, r.Body, maxBytes)})
		if err != nil {
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
		fmt.Fprintf(w, "%x\n", sha256.Sum256(data))
	})
}
