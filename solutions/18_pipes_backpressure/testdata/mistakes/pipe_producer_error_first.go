// Mistake: Pipe returns the producer's error first.
//
// When the consumer fails, the producer's error is a consequence ("write:
// parse: bad row") or a later problem of its own. Returning it first hides
// the cause.
//
// Replaces: pipe.go
// Kind: test failed
// Expect: the consumer's failure is the cause

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
	if err := <-perr; err != nil {
		return err
	}
	return cerr
}
