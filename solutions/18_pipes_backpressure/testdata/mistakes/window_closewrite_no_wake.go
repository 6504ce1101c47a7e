// Mistake: CloseWrite sets the flag but wakes nobody.
//
// A Read that waits on an empty window never hears that the stream ended:
// for the consumer, the pipe is never closed.
//
// Replaces: window.go
// Kind: test failed
// Expect: CloseWrite must wake a Read that waits

package pipesbackpressure

import "io"

func (w *Window) CloseWrite(err error) {
	if err == nil {
		err = io.EOF
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.wclosed {
		w.wclosed, w.werr = true, err
	}
}
