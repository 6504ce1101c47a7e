// Mistake: Tee returns the producer's error first.
//
// The producer's error is the consequence of a consumer's failure ("write:
// quota exceeded"), or a later failure of its own: returning it first
// hides the cause.
//
// Replaces: tee.go
// Kind: test failed
// Expect: Tee returns a's error if a failed, else b's

package pipesbackpressure

import (
	"io"
	"sync"
)

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
	case perr != nil:
		return perr
	case aerr != nil:
		return aerr
	}
	return berr
}
