package httpstreaming

import (
	"crypto/sha256"
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
		// TODO: this reads the whole body into memory before hashing it.
		// Hash it as it arrives instead: io.Copy into sha256.New().
		//
		// TODO: read the body through http.MaxBytesReader(w, r.Body,
		// maxBytes), and answer a *http.MaxBytesError with 413.
		//
		// TODO: stop reading once r.Context() is done, and write nothing
		// then. Answer any other read error with 400.
		data, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		_ = maxBytes
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintf(w, "%x\n", sha256.Sum256(data))
	})
}
