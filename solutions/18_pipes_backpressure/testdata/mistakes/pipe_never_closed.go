// Mistake: the producer returns, and nobody closes the writer.
//
// The consumer reads every byte and then waits in Read for more: nothing
// tells it the stream ended. io.Pipe has no end of its own; the writer must
// be closed, with nil for io.EOF or with the error.
//
// Replaces: pipe.go
// Kind: test failed
// Expect: pipe never closed

package pipesbackpressure

import "io"

func Pipe(p Producer, c Consumer) error {
	pr, pw := io.Pipe()
	perr := make(chan error, 1)
	go func() {
		err := p(pw)
		perr <- err
	}()
	cerr := c(pr)
	pr.CloseWithError(cerr) // nil: the writer sees io.ErrClosedPipe
	if err := <-perr; cerr == nil {
		return err
	}
	return cerr
}
