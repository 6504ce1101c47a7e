// Mistake: the tee buffers for the slower consumer, so the fast one is never held back.
//
// Each consumer gets a queue; the producer's Write copies p into both
// queues and returns. The fast consumer flies, and the slow one's queue
// grows with everything it has not read yet: the whole stream, in memory.
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
	qa, qb := make(chan []byte, 1<<16), make(chan []byte, 1<<16)
	pump := func(q chan []byte, w *io.PipeWriter, done chan error) {
		for b := range q {
			if _, err := w.Write(b); err != nil {
				for range q {
				}
				done <- err
				return
			}
		}
		done <- nil
	}
	da, db := make(chan error, 1), make(chan error, 1)
	go pump(qa, wa, da)
	go pump(qb, wb, db)
	perr := p(queues{qa, qb})
	close(qa)
	close(qb)
	<-da
	<-db
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

type queues [2]chan []byte

func (q queues) Write(p []byte) (int, error) {
	for _, c := range q {
		c <- bytes.Clone(p)
	}
	return len(p), nil
}
