// Mistake: a bufio.Writer on the pipe, "for speed".
//
// Writes now return as soon as they fit in the 4 KiB buffer: the producer
// runs ahead of the consumer by a buffer, and a Write no longer means that
// anyone read it. Bigger buffers make it worse.
//
// Replaces: pipe.go
// Kind: test failed
// Expect: unbounded buffer between producer and consumer

package pipesbackpressure

import (
	"bufio"
	"io"
)

func Pipe(p Producer, c Consumer) error {
	pr, pw := io.Pipe()
	perr := make(chan error, 1)
	go func() {
		bw := bufio.NewWriter(pw)
		err := p(bw)
		if err == nil {
			err = bw.Flush()
		}
		pw.CloseWithError(err) // nil: the reader sees io.EOF
		perr <- err
	}()
	cerr := c(pr)
	pr.CloseWithError(cerr) // nil: the writer sees io.ErrClosedPipe
	if err := <-perr; cerr == nil {
		return err
	}
	return cerr
}
