// Mistake: Read returns 0, nil when the window is empty.
//
// Like a non-blocking read in Node, "nothing yet". In Go an io.Reader must
// wait: io.ReadAll, io.Copy and bufio loop on 0, nil and burn a CPU.
//
// Replaces: window.go
// Kind: test failed
// Expect: 0, nil makes io.ReadAll spin

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
			return 0, w.werr
		}
		return 0, nil
	}
}
