package pipesbackpressure

import (
	"io"
	"sync"
)

// Tee runs p once and gives its whole stream to both a and b, each in a
// goroutine of its own reading an io.Pipe of its own.
//
// The policy for a slow consumer: the slower of a and b sets the pace.
// Nothing is buffered for the one that falls behind: a Write of p returns
// only once both a and b have read all of it, so neither consumer is more
// than one Write ahead of the other, and memory stays the same however
// far one lags.
//
// The policy for a consumer that stops: the stream is all or nothing. When
// a or b returns before the end of the stream, with or without an error,
// p's next Write fails (with that consumer's error, or io.ErrClosedPipe),
// and the other consumer's Reads fail too: it never sees io.EOF, since it
// did not get a stream the other one finished. When p fails, both
// consumers' Reads return p's error.
//
// Tee returns once p, a and b have all returned. It returns a's error if a
// failed, else b's, else p's, else nil.
func Tee(p Producer, a, b Consumer) error {
	ra, wa := io.Pipe()
	rb, wb := io.Pipe()
	var wg sync.WaitGroup
	var aerr, berr error
	wg.Go(func() {
		aerr = a(ra)
		ra.CloseWithError(aerr)
	})
	wg.Go(func() {
		berr = b(rb)
		rb.CloseWithError(berr)
	})
	// io.MultiWriter writes to wa, then to wb, and stops at the first
	// error: a Write returns once both consumers read it.
	perr := p(io.MultiWriter(wa, wb))
	wa.CloseWithError(perr)
	wb.CloseWithError(perr)
	wg.Wait()
	switch {
	case aerr != nil:
		return aerr
	case berr != nil:
		return berr
	}
	return perr
}
