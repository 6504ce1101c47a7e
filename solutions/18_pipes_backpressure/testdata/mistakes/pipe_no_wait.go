// Mistake: Pipe returns when the consumer does, without waiting for the producer.
//
// After a clean end the producer is done anyway, so this usually works. When
// the consumer fails first, the producer may still be running (closing its
// file, say): it outlives Pipe, and its error is never seen.
//
// Replaces: pipe.go
// Kind: test failed
// Expect: wait for it, or it leaks

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
	pr.CloseWithError(cerr) // nil: the writer sees io.ErrClosedPipe
	if cerr != nil {
		return cerr
	}
	return <-perr
}
