// Mistake: a channel of chunks with room for 64, Node's highWaterMark by hand.
//
// The producer copies each chunk into a buffered channel and goes on; a
// pump goroutine feeds the consumer. It is bounded, by 64 chunks of
// whatever size, so a Write returns long before it is read.
//
// Replaces: pipe.go
// Kind: test failed
// Expect: unbounded buffer between producer and consumer

package pipesbackpressure

import (
	"bytes"
	"io"
)

func Pipe(p Producer, c Consumer) error {
	chunks := make(chan []byte, 64)
	pr, pw := io.Pipe()
	perr := make(chan error, 1)
	go func() {
		err := p(chanWriter(chunks))
		close(chunks)
		perr <- err
	}()
	go func() {
		for b := range chunks {
			if _, err := pw.Write(b); err != nil {
				for range chunks {
				}
				return
			}
		}
		pw.Close()
	}()
	cerr := c(pr)
	pr.CloseWithError(cerr)
	if err := <-perr; cerr == nil {
		return err
	}
	return cerr
}

type chanWriter chan []byte

func (w chanWriter) Write(p []byte) (int, error) {
	w <- bytes.Clone(p)
	return len(p), nil
}
