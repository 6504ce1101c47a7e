// Mistake: a consumer that returns leaves its reader open.
//
// With both consumers reading to the end nothing shows. When one fails, the
// producer's next Write to its pipe waits for a reader that is gone, and the
// whole tee with it.
//
// Replaces: tee.go
// Kind: test failed
// Expect: leaves the producer blocked forever

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
	})
	wg.Go(func() {
		berr = b(rb)
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
