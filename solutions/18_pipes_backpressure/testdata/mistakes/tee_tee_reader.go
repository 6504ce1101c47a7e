// Mistake: io.TeeReader into a bytes.Buffer: a reads the pipe, b reads the copy afterwards.
//
// The usual Go tee for one reader and one copy. Here it means that b starts
// only once a finished, and that the whole stream waits in the buffer for b.
// The slower consumer no longer sets the pace: memory does.
//
// Replaces: tee.go
// Kind: test failed
// Expect: unbounded buffer for the slow consumer

package pipesbackpressure

import (
	"bytes"
	"io"
	"sync"
)

func Tee(p Producer, a, b Consumer) error {
	ra, wa := io.Pipe()
	var copied bytes.Buffer
	var wg sync.WaitGroup
	var aerr, berr error
	wg.Go(func() {
		aerr = a(io.TeeReader(ra, &copied))
		ra.CloseWithError(aerr)
	})
	perr := p(wa)
	wa.CloseWithError(perr)
	wg.Wait()
	berr = b(&copied)
	switch {
	case aerr != nil:
		return aerr
	case berr != nil:
		return berr
	}
	return perr
}
