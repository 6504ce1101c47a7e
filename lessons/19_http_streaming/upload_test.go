package httpstreaming

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"testing/iotest"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
)

// noLimit is a limit that no body in these tests reaches.
const noLimit = 1 << 40

// wantHash returns the answer Upload must give for the first n bytes of
// every generated body, computed here as the stream goes, a pattern at a
// time.
func wantHash(n int64) string {
	h := sha256.New()
	for ; n >= int64(len(pattern)); n -= int64(len(pattern)) {
		h.Write(pattern)
	}
	h.Write(pattern[:n])
	return fmt.Sprintf("%x\n", h.Sum(nil))
}

// upload makes a POST /uploads request with r as its body and serves it
// with h directly (no server, no socket), and returns what h wrote. If
// length is not negative, the request says it in Content-Length. ctx is
// the request's context.
func upload(ctx context.Context, h http.Handler, r io.Reader, length int64) *recorder {
	req := httptest.NewRequestWithContext(ctx, http.MethodPost, "/uploads", r)
	req.ContentLength = length
	rec := newRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// checkHash fails the test unless rec holds a 200 answer whose body is
// want.
func checkHash(t *testing.T, rec *recorder, want, what string) bool {
	t.Helper()
	status, got := rec.result()
	if status == http.StatusOK && got == want {
		if ct := rec.header.Get("Content-Type"); ct != "text/plain; charset=utf-8" {
			t.Errorf("Upload answered with the Content-Type %q, want \"text/plain; charset=utf-8\"", ct)
			return false
		}
		return true
	}
	f := katatest.Failure{
		Want:  fmt.Sprintf("200 and the SHA-256 of %s, in hex with a newline: %q", what, want),
		Got:   fmt.Sprintf("%d and %q", status, got),
		Means: "the answer is not the hash of the body: hash every byte read, in order, and write hex.EncodeToString or %x of h.Sum(nil), then a newline",
		Hint:  1,
	}
	switch {
	case status == 0:
		f.Means = "Upload wrote nothing: write the hash once the body is read"
	case status != http.StatusOK:
		f.Means = "Upload refused a body it should accept"
	}
	t.Error(f)
	return false
}

// Task 1: the answer is the hash of the body, whatever its size and however
// its chunks arrive.
func TestUpload_HashesTheBody(t *testing.T) {
	katatest.Bubble(t, 1, func(t *testing.T) {
		sizes := []int64{0, 1, 100*kib + 7, 3*64*kib + 1}
		readers := []struct {
			name string
			wrap func(io.Reader) io.Reader
		}{
			{"as it comes", func(r io.Reader) io.Reader { return r }},
			{"one byte per Read", iotest.OneByteReader},
			{"half of each Read", iotest.HalfReader},
		}
		for _, size := range sizes {
			for _, rd := range readers {
				if rd.name == "one byte per Read" && size > 4*kib {
					continue
				}
				rec := upload(t.Context(), Upload(noLimit), rd.wrap(&body{size: size}), -1)
				if !checkHash(t, rec, wantHash(size), fmt.Sprintf("a body of %d bytes read %s", size, rd.name)) {
					return
				}
			}
		}
	})
}

// Task 1: a 32 MiB upload goes through a handler whose heap grows by far
// less than the body. The body is made as it is read, so only the handler
// can hold it. The heap is sampled every MiB while the body streams: what
// counts is the most memory held at one moment, not the total allocated
// (a handler may make garbage, which the collector takes back).
func TestUpload_MemoryStaysBounded(t *testing.T) {
	katatest.Bubble(t, 1, func(t *testing.T) {
		const size, bound = 32 * mib, 24 * mib
		var rec *recorder
		var stoppedAt int64
		b := &body{size: size}
		peak := peakHeap(func(sample func() uint64) {
			next := int64(mib)
			b.onRead = func(read int64) {
				if read < next {
					return
				}
				next += mib
				if sample() > bound && stoppedAt == 0 {
					// Stop the upload: it has shown what it does.
					stoppedAt = read
					b.size = read
					b.err = errors.New("the test ended the upload: the heap grew past its bound")
				}
			}
			rec = upload(t.Context(), Upload(noLimit), b, -1)
		})
		if stoppedAt > 0 || peak > bound {
			t.Fatal(katatest.Failure{
				Want: fmt.Sprintf("the heap grows by less than %d MiB while a %d MiB body streams through Upload", bound/mib, size/mib),
				Got: fmt.Sprintf("it grew by %.0f MiB after %d MiB of the body",
					float64(peak)/mib, max(stoppedAt, b.read)/mib),
				Means: "Upload buffered the whole body in memory (io.ReadAll, a bytes.Buffer, a bufio.Reader the size of the body) " +
					"before hashing it: hash it a chunk at a time as it arrives, io.Copy into the hash",
				Hint: 1,
			})
		}
		checkHash(t, rec, wantHash(size), "the 32 MiB body")
	})
}

// checkRefused fails the test unless rec holds a 413 answer without a
// hash, and the handler read no more than limit+1 bytes of b.
func checkRefused(t *testing.T, rec *recorder, b *body, limit int64, what string) {
	t.Helper()
	status, got := rec.result()
	switch {
	case status == http.StatusRequestEntityTooLarge:
	case status == http.StatusOK:
		t.Error(katatest.Failure{
			Want:  fmt.Sprintf("413 Request Entity Too Large for %s, over the limit of %d bytes", what, limit),
			Got:   fmt.Sprintf("200 and %q, after reading %d bytes of the body", got, b.read),
			Means: "no size limit: the body was read to its end however large it was. Wrap r.Body in http.MaxBytesReader",
			Hint:  2,
		})
		return
	case status == http.StatusInternalServerError:
		t.Error(katatest.Failure{
			Want: fmt.Sprintf("413 Request Entity Too Large for %s, over the limit of %d bytes", what, limit),
			Got:  fmt.Sprintf("500 and %q", got),
			Means: "a 500 instead of 413: the body over the limit was answered as a server error. " +
				"Look for a *http.MaxBytesError with errors.As and answer http.StatusRequestEntityTooLarge",
			Hint: 2,
		})
		return
	default:
		t.Error(katatest.Failure{
			Want:  fmt.Sprintf("413 Request Entity Too Large for %s, over the limit of %d bytes", what, limit),
			Got:   fmt.Sprintf("%d and %q", status, got),
			Means: "the body over the limit was not answered with 413: look for a *http.MaxBytesError with errors.As",
			Hint:  2,
		})
		return
	}
	if b.read > limit+1 {
		t.Error(katatest.Failure{
			Want:  fmt.Sprintf("Upload reads at most %d bytes, the limit and one more, of a body over the limit", limit+1),
			Got:   fmt.Sprintf("it read %d bytes before answering 413", b.read),
			Means: "the body was read past the limit before it was refused: read it through http.MaxBytesReader, which stops at the limit",
			Hint:  2,
		})
	}
}

// Task 2: one byte over the limit, with the length in Content-Length.
func TestUpload_TooLarge(t *testing.T) {
	katatest.Bubble(t, 2, func(t *testing.T) {
		const limit = mib
		b := &body{size: limit + 1}
		rec := upload(t.Context(), Upload(limit), b, limit+1)
		checkRefused(t, rec, b, limit, "a body of 1 MiB + 1 byte")
	})
}

// Task 2: a body sent without Content-Length (chunked, as a stream is
// sent) is limited too. A handler that only checks the header would read
// all 8 MiB.
func TestUpload_TooLargeWithoutContentLength(t *testing.T) {
	katatest.Bubble(t, 2, func(t *testing.T) {
		const limit = mib
		b := &body{size: 8 * mib}
		rec := upload(t.Context(), Upload(limit), b, -1)
		status, _ := rec.result()
		if status == http.StatusOK && b.read == b.size {
			t.Error(katatest.Failure{
				Want:  "413 for a 8 MiB body over the limit of 1 MiB, sent without Content-Length",
				Got:   "200 after reading all 8 MiB",
				Means: "the limit trusted Content-Length: a body sent in chunks has no length header (r.ContentLength is -1) and went through. Wrap r.Body in http.MaxBytesReader, which counts the bytes themselves",
				Hint:  2,
			})
			return
		}
		checkRefused(t, rec, b, limit, "a 8 MiB body sent without Content-Length")
	})
}

// Task 2: a body of exactly the limit is accepted, with or without
// Content-Length.
func TestUpload_ExactlyTheLimit(t *testing.T) {
	katatest.Bubble(t, 2, func(t *testing.T) {
		const limit = mib
		for _, length := range []int64{limit, -1} {
			rec := upload(t.Context(), Upload(limit), &body{size: limit}, length)
			status, _ := rec.result()
			if status == http.StatusRequestEntityTooLarge {
				t.Fatal(katatest.Failure{
					Want:  "200 for a body of exactly the limit, 1 MiB: the limit is the largest body accepted",
					Got:   "413",
					Means: "the limit is off by one: http.MaxBytesReader(w, r.Body, maxBytes) accepts maxBytes bytes and refuses one more",
					Hint:  2,
				})
			}
			checkHash(t, rec, wantHash(limit), "a body of exactly the limit")
		}
	})
}

// Task 2: a body that breaks off (the client promised more than it sent)
// gets 400, and no hash of what came.
func TestUpload_BrokenBody(t *testing.T) {
	katatest.Bubble(t, 2, func(t *testing.T) {
		b := &body{size: 1000, err: io.ErrUnexpectedEOF}
		rec := upload(t.Context(), Upload(noLimit), b, 5000)
		if status, got := rec.result(); status != http.StatusBadRequest {
			means := "a read error other than the limit must be answered with 400 Bad Request"
			if status == http.StatusOK {
				means = "Upload answered a hash of a broken body: the error of the read was ignored, and the hash is of part of the body"
			}
			t.Error(katatest.Failure{
				Want:  "400 Bad Request for a body that broke off after 1000 of its 5000 bytes",
				Got:   fmt.Sprintf("%d and %q", status, got),
				Means: means,
				Hint:  2,
			})
		}
	})
}

// Task 3: the client goes away after 1 MiB of an 8 MiB upload (its
// context is cancelled, as the server does when the connection closes).
// The rest of the body is there to read, as bytes that arrived before the
// client left would be; Upload must read none of it, and answer nothing.
func TestUpload_ClientGoesAway(t *testing.T) {
	katatest.Bubble(t, 3, func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		b := &body{size: 8 * mib}
		leftAt, readsThen := int64(0), 0
		b.onRead = func(read int64) {
			if read >= mib && leftAt == 0 {
				leftAt, readsThen = read, b.reads
				cancel()
			}
		}
		rec := upload(ctx, Upload(noLimit), b, -1)
		if leftAt == 0 {
			t.Fatalf("Upload read only %d bytes of the body before it returned", b.read)
		}
		if more := b.reads - readsThen; more > 0 {
			t.Error(katatest.Failure{
				Want: "no Read of the body after the client went away (r.Context() done)",
				Got: fmt.Sprintf("%s after the client left at %d bytes; %d of the 8 MiB read in all",
					katatest.Count(more, "more Read"), leftAt, b.read),
				Means: "hashing went on after the client went away: io.Copy does not look at r.Context(). " +
					"Check r.Context().Err() before each Read (a small reader that wraps the body does it for io.Copy)",
				Hint: 3,
			})
		}
		if status, got := rec.result(); status != 0 {
			t.Error(katatest.Failure{
				Want:  "no answer for a client that has gone",
				Got:   fmt.Sprintf("%d and %q", status, got),
				Means: "Upload answered a request whose client had gone: when r.Context() is done, return without writing",
				Hint:  3,
			})
		}
	})
}
