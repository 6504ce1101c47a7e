// Mistake: only the limit is treated as an error; any other read error
// still gets a hash.
//
// A body that breaks off (the client promised 5000 bytes and sent 1000,
// or left) ends io.Copy with an error that is not a *http.MaxBytesError.
// The handler ignores it and answers 200 with the hash of part of the
// body, which the client may well store as the hash of the whole.
//
// Replaces: upload.go
// Kind: test failed
// Expect: Upload answered a hash of a broken body

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
			if errors.As(err, &tooLarge) {
				http.Error(w, "the body is larger than the limit", http.StatusRequestEntityTooLarge)
				return
			}
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintf(w, "%x\n", h.Sum(nil))
	})
}
