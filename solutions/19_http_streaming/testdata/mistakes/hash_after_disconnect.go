// Mistake: io.Copy hashes the body without looking at r.Context().
//
// The handler checks the context, but only once the copy is over, to
// decide whether to answer. By then it has read and hashed whatever the
// body still held, for a client that left long ago. Like a Node handler
// with no req.on("close") listener.
//
// Replaces: upload.go
// Kind: test failed
// Expect: hashing went on after the client went away

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
		_, err := io.Copy(h, http.MaxBytesReader(w, r.Body, maxBytes))
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				http.Error(w, "the body is larger than the limit", http.StatusRequestEntityTooLarge)
			} else {
				http.Error(w, "the body could not be read", http.StatusBadRequest)
			}
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintf(w, "%x\n", h.Sum(nil))
	})
}
