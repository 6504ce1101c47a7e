// Mistake: both ends are closed with Close, so the errors are lost.
//
// pw.Close() makes the consumer see io.EOF even when the producer failed in
// the middle: a stream that broke off looks complete, and a half upload is
// stored as if whole. pr.Close() makes the producer see io.ErrClosedPipe
// instead of the consumer's error.
//
// Replaces: pipe.go
// Kind: test failed
// Expect: the producer's error was lost

package pipesbackpressure

import "io"

func Pipe(p Producer, c Consumer) error {
	pr, pw := io.Pipe()
	perr := make(chan error, 1)
	go func() {
		err := p(pw)
		pw.Close()
		perr <- err
	}()
	cerr := c(pr)
	pr.Close()
	if err := <-perr; cerr == nil {
		return err
	}
	return cerr
}
