package httpstreaming

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"net/http"
)

// Upload returns the handler of POST /uploads: it reads the request body
// and answers its SHA-256, in lower-case hex and a newline, with status
// 200 and the Content-Type "text/plain; charset=utf-8". An empty body is a
// body too: its hash is the hash of no bytes.
//
// Upload hashes the body as it arrives, a chunk at a time: however large
// the body, the handler holds only a small buffer of it (a few KiB, never
// the whole body, not even for a moment).
//
// A body longer than maxBytes is refused with 413 Request Entity Too Large
// (http.StatusRequestEntityTooLarge), whether or not the request says its
// length in Content-Length: Upload reads the body through
// http.MaxBytesReader, which fails with a *http.MaxBytesError once the
// limit is passed, and it reads no more than maxBytes+1 bytes of it. A body
// of exactly maxBytes is accepted.
//
// When r.Context() is done, the client has gone: Upload reads no more of
// the body, not even what has already arrived, and returns without writing
// anything, since nobody is there to read an answer. Any other error while
// reading the body is answered with 400 Bad Request, and no hash.
func Upload(maxBytes int64) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		body := http.MaxBytesReader(w, r.Body, maxBytes)
		h := sha256.New()
		if _, err := io.Copy(h, contextReader{ctx, body}); err != nil {
			var tooLarge *http.MaxBytesError
			switch {
			case errors.As(err, &tooLarge):
				http.Error(w, "the body is larger than the limit", http.StatusRequestEntityTooLarge)
			case ctx.Err() != nil:
				// The client has gone: nobody reads an answer.
			default:
				http.Error(w, "the body could not be read", http.StatusBadRequest)
			}
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintf(w, "%x\n", h.Sum(nil))
	})
}

// A contextReader reads from r until ctx is done, then fails with ctx's
// error without reading any more.
type contextReader struct {
	ctx context.Context
	r   io.Reader
}

func (c contextReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
