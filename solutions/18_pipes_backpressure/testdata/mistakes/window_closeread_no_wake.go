// Mistake: CloseRead sets the flag but wakes nobody.
//
// A Write that waits for room sleeps in Cond.Wait, and only a Broadcast (or
// Signal) wakes it: the consumer is gone, and the producer waits forever.
// Later Writes do fail, which is why it looks right.
//
// Replaces: window.go
// Kind: test failed
// Expect: leaves the producer blocked forever

package pipesbackpressure

import "io"

func (w *Window) CloseRead(err error) {
	if err == nil {
		err = io.ErrClosedPipe
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.rclosed {
		w.rclosed, w.rerr = true, err
		w.buf = w.buf[:0]
	}
}
