// Mistake: the consumer runs in the goroutine, and Pipe waits only for the producer.
//
// Turned around, the shape looks the same, but Pipe returns when the producer
// did, while the consumer still reads the last chunks and the end: its error
// is lost and its goroutine outlives Pipe.
//
// Replaces: pipe.go
// Kind: test failed
// Expect: Pipe must wait for the consumer

package pipesbackpressure

import "io"

func Pipe(p Producer, c Consumer) error {
	pr, pw := io.Pipe()
	cerr := make(chan error, 1)
	go func() {
		err := c(pr)
		pr.CloseWithError(err)
		cerr <- err
	}()
	err := p(pw)
	pw.CloseWithError(err)
	select {
	case cerr := <-cerr:
		if cerr != nil {
			return cerr
		}
	default:
	}
	return err
}
