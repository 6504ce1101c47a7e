// Mistake: Write does not check whether the writer closed its side.
//
// A Write after CloseWrite goes into the window as if nothing happened, and
// is never read: bytes silently lost. On a full window it waits for room
// forever. Node throws ERR_STREAM_WRITE_AFTER_END here.
//
// Replaces: window.go
// Kind: test failed
// Expect: write after end

package pipesbackpressure

func (w *Window) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	n := 0
	for {
		switch {
		case w.rclosed:
			return n, w.rerr
		}
		if n == len(p) {
			return n, nil
		}
		if room := w.size - len(w.buf); room > 0 {
			k := min(room, len(p)-n)
			w.buf = append(w.buf, p[n:n+k]...) // a copy: p is not kept
			n += k
			w.changed.Broadcast()
			continue
		}
		w.changed.Wait() // full: wait for the reader to drain
	}
}
