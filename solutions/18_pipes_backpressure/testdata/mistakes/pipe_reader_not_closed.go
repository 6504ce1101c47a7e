// Mistake: the consumer returns, and nobody closes the reader.
//
// While the consumer reads to the end this is fine. When it fails, or stops
// early, the producer waits in Write for a reader that is gone, and Pipe
// waits for the producer: forever, a goroutine and its memory per request.
//
// Replaces: pipe.go
// Kind: test failed
// Expect: leaves the producer blocked forever

package pipesbackpressure

import "io"

func Pipe(p Producer, c Consumer) error {
	pr, pw := io.Pipe()
	perr := make(chan error, 1)
	go func() {
		err := p(pw)
		pw.CloseWithError(err) // nil: the reader sees io.EOF
		perr <- err
	}()
	cerr := c(pr)
	if err := <-perr; cerr == nil {
		return err
	}
	return cerr
}
