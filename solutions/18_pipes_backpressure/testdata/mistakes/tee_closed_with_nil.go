// Mistake: both writers are closed with Close, whatever the producer returned.
//
// When one consumer fails, the producer stops, and the other consumer sees a
// clean io.EOF: it stores half a stream as if it were whole. The failure
// reaches Tee's caller, but not the consumer that acts on the data.
//
// Replaces: tee.go
// Kind: test failed
// Expect: the other consumer saw io.EOF

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
	wa.Close()
	wb.Close()
	wg.Wait()
	switch {
	case aerr != nil:
		return aerr
	case berr != nil:
		return berr
	}
	return perr
}
