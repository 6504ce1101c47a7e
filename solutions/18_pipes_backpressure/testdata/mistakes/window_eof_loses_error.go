// Mistake: CloseWrite's error is dropped: Read always ends with io.EOF.
//
// A producer that failed halfway and one that finished look the same to the
// consumer: a truncated stream passes for a complete one.
//
// Replaces: window.go
// Kind: test failed
// Expect: the producer's error was lost

package pipesbackpressure

import "io"

func (w *Window) Read(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for {
		switch {
		case w.rclosed:
			return 0, io.ErrClosedPipe
		case len(w.buf) > 0:
			n := copy(p, w.buf)
			w.buf = append(w.buf[:0], w.buf[n:]...)
			w.changed.Broadcast()
			return n, nil
		case w.wclosed:
			return 0, io.EOF
		}
		w.changed.Wait() // empty: wait for the writer
	}
}
