// Mistake: the handler hashes the whole body, counting it, and refuses
// it afterwards if it was too large.
//
// The answer is right, 413, and the memory stays small. But the handler
// read and hashed all of a body it was going to refuse: a 10 GB upload
// costs 10 GB of bandwidth and hashing before the "no". The Node shape of
// it: size += chunk.length on every data event, checked at the end.
//
// Replaces: upload.go
// Kind: test failed
// Expect: the body was read past the limit before it was refused

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
		n, err := io.Copy(h, contextReader{ctx, r.Body})
		if n > maxBytes {
			http.Error(w, "the body is larger than the limit", http.StatusRequestEntityTooLarge)
			return
		}
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
		fmt.Fprintf(w, "%x\n", h.Sum(nil))
	})
}
