// Mistake: the window is a bytes.Buffer that grows: Write never waits.
//
// Write appends p and returns. Nothing ever blocks, so nothing hangs, and a
// ready consumer sees every byte. But the size is a decoration: a producer
// faster than its consumer fills memory.
//
// Replaces: window.go
// Kind: test failed
// Expect: the window holds more than its size

package pipesbackpressure

import "io"

func (w *Window) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	n := 0
	for {
		switch {
		case w.wclosed:
			return n, io.ErrClosedPipe
		case w.rclosed:
			return n, w.rerr
		}
		if n == len(p) {
			return n, nil
		}
		w.buf = append(w.buf, p[n:]...)
		n = len(p)
		w.changed.Broadcast()
	}
}
