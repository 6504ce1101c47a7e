// Mistake: the reader is closed with Close, so the producer never learns why.
//
// The producer's Write fails with io.ErrClosedPipe instead of the
// consumer's error: it stops, but its log and its own error say "closed
// pipe" where the cause was a parse error.
//
// Replaces: pipe.go
// Kind: test failed
// Expect: the consumer's error was lost

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
	pr.Close()
	if err := <-perr; cerr == nil {
		return err
	}
	return cerr
}
