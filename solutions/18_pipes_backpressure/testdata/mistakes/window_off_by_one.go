// Mistake: the window holds one byte more than its size.
//
// "Wait while the window is more than full" instead of "while it is full":
// an off-by-one that no ready consumer sees.
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
		if room := w.size + 1 - len(w.buf); room > 0 {
			k := min(room, len(p)-n)
			w.buf = append(w.buf, p[n:n+k]...) // a copy: p is not kept
			n += k
			w.changed.Broadcast()
			continue
		}
		w.changed.Wait() // full: wait for the reader to drain
	}
}
