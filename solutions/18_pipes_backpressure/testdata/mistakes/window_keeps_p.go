// Mistake: the window keeps the caller's slice instead of copying it.
//
// Write stores p itself and returns: no copy, cheap. The producer then
// reuses its buffer for the next chunk, and the consumer reads the next
// chunk where the last one should be.
//
// Replaces: window.go
// Kind: data race
// Expect: Write must copy p

package pipesbackpressure

import (
	"io"
	"sync"
)

type Window struct {
	mu      sync.Mutex
	changed sync.Cond // broadcast when bytes come or go, or a side closes
	buf     []byte    // the bytes in the window, never more than size
	kept    [][]byte  // the slices written, not copied
	size    int

	wclosed, rclosed bool
	werr, rerr       error // what the closed side's counterpart is told
}

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
		if room := w.size - len(w.buf); room > 0 {
			k := min(room, len(p)-n)
			w.buf = append(w.buf, make([]byte, k)...)
			w.kept = append(w.kept, p[n:n+k])
			n += k
			w.changed.Broadcast()
			continue
		}
		w.changed.Wait() // full: wait for the reader to drain
	}
}

func (w *Window) Read(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for {
		switch {
		case w.rclosed:
			return 0, io.ErrClosedPipe
		case len(w.buf) > 0:
			n := 0
			for n < len(p) && len(w.kept) > 0 {
				k := copy(p[n:], w.kept[0])
				w.kept[0] = w.kept[0][k:]
				if len(w.kept[0]) == 0 {
					w.kept = w.kept[1:]
				}
				n += k
			}
			w.buf = w.buf[n:]
			w.changed.Broadcast()
			return n, nil
		case w.wclosed:
			return 0, w.werr
		}
		w.changed.Wait() // empty: wait for the writer
	}
}
